const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

// The page that carries the customer to the bank's ACS (S4's example form), with a button for
// browsers that run no script.
export function autoSubmitForm(action: string, fields: Record<string, string>, nonce: string): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>3-D Secure</title><meta name="robots" content="noindex"></head>
  <body>
    <form id="threeds" method="post" action="${escapeHtml(action)}">
      ${inputs}
      <noscript><button type="submit">Continue to your bank</button></noscript>
    </form>
    <p>Redirecting to your bank for card verification…</p>
    <script nonce="${nonce}">document.getElementById('threeds').submit();</script>
  </body>
</html>`;
}

export function messagePage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}
