import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// Stands in for the company's site: the pages backLink / failureBackLink point at, and any page a
// test serves from it (by path, built when requested).
export async function startShop(
  pages: Record<string, () => string> = {},
): Promise<{ url: string; visits: string[]; close: () => Promise<void> }> {
  const visits: string[] = [];
  const server = createServer((req, res) => {
    visits.push(req.url ?? '/');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const page = pages[new URL(req.url ?? '/', 'http://shop').pathname];
    if (page) return void res.end(page());
    res.end(
      `<!doctype html><html><body><h1 id="landing">${req.url?.startsWith('/ok') ? 'Thank you' : 'Payment failed'}</h1></body></html>`,
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    visits,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
