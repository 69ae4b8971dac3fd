// Apple Pay on the web hands the page a validationURL; our server calls it with the merchant identity
// certificate. Only Apple's own gateways may get that call (Apple, "Setting up your server": the
// apple-pay-gateway hosts, their pods and the -cert sandbox), so a forged URL cannot make us send our
// client certificate, or any request, elsewhere.
const APPLE_GATEWAY_HOST = /^(cn-)?apple-pay-gateway(-(nc|pr|sh|tj)-pod\d{1,2}|-cert)?\.apple\.com$/;

export function isAppleValidationUrl(raw: unknown): boolean {
  if (typeof raw !== 'string' || raw.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    (url.port === '' || url.port === '443') &&
    url.username === '' &&
    url.password === '' &&
    APPLE_GATEWAY_HOST.test(url.hostname)
  );
}
