import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';

// Helpers for tests that talk to the sandbox over HTTP (used by the sandbox specs; handy for e2e tests too).

export interface CryptogramCard {
  hpan: string;
  expDate: string; // MMYY
  cvc: string;
  terminalId: string;
}

// What a merchant/SDK does: compact JSON, RSA PKCS#1 v1.5 with the /public.rsa key, base64.
export function encryptCryptogram(publicKeyPem: string, card: CryptogramCard): string {
  const key = forge.pki.publicKeyFromPem(publicKeyPem);
  const plain = JSON.stringify({ hpan: card.hpan, expDate: card.expDate, cvc: card.cvc, terminalId: card.terminalId });
  return forge.util.encode64(key.encrypt(forge.util.encodeUtf8(plain), 'RSAES-PKCS1-V1_5'));
}

export interface ReceivedPostLink {
  path: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  at: number;
}

export interface PostLinkReceiver {
  url: string; // base, e.g. http://127.0.0.1:5555 ; post to any path under it
  received: ReceivedPostLink[];
  status: number; // reply status, changeable
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedPostLink[]>;
  close(): Promise<void>;
}

export async function startPostLinkReceiver(status = 200): Promise<PostLinkReceiver> {
  const received: ReceivedPostLink[] = [];
  const waiters: Array<() => void> = [];
  const receiver: PostLinkReceiver = {
    url: '',
    received,
    status,
    waitFor(count, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return false;
          clearTimeout(timer);
          resolve(received.slice());
          return true;
        };
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} postLinks, got ${received.length}`)),
          timeoutMs,
        );
        const waiter = () => {
          if (!check()) waiters.push(waiter); // not enough yet: keep waiting
        };
        waiter();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = { raw: Buffer.concat(chunks).toString('utf8') };
      }
      received.push({ path: req.url ?? '/', body, headers: req.headers, at: Date.now() });
      res.statusCode = receiver.status;
      res.end('OK');
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

// name → value of every <input> in the first <form> of an HTML page, plus the form's action.
export function readForm(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error('no form in page');
  const fields: Record<string, string> = {};
  for (const m of form[2].matchAll(/<input[^>]*>/gi)) {
    const name = /name="([^"]*)"/i.exec(m[0]);
    const value = /value="([^"]*)"/i.exec(m[0]);
    if (name) fields[decodeHtml(name[1])] = decodeHtml(value?.[1] ?? '');
  }
  return { action: decodeHtml(form[1]), fields };
}

const decodeHtml = (s: string): string =>
  s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"');

export interface AcsResult {
  termUrl: string;
  PaRes: string;
  MD: string;
}

// Plays the browser: POST PaReq/MD/TermUrl to the ACS, submit the page with an OTP or a button, read the
// auto-submitting form that would go to TermUrl. decision: 'otp' (uses otp), 'approve' or 'fail'.
export async function driveAcs(
  secure3D: { action: string; paReq: string; md: string },
  termUrl: string,
  decision: { otp: string } | 'approve' | 'fail',
): Promise<AcsResult> {
  const post = async (url: string, fields: Record<string, string>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
    const html = await res.text();
    if (res.status !== 200) throw new Error(`ACS answered ${res.status}: ${html.slice(0, 200)}`);
    return html;
  };
  const page = readForm(await post(secure3D.action, { PaReq: secure3D.paReq, MD: secure3D.md, TermUrl: termUrl }));
  const fields = { ...page.fields };
  if (typeof decision === 'object') Object.assign(fields, { otp: decision.otp, decision: 'otp' });
  else fields.decision = decision;
  const back = readForm(await post(page.action, fields));
  return { termUrl: back.action, PaRes: back.fields.PaRes, MD: back.fields.MD };
}
