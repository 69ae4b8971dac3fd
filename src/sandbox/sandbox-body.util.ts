import type { NextFunction, Request, Response } from 'express';

// Bodies arrive as JSON, x-www-form-urlencoded (also with no Content-Type at all, as the iOS SDK sends)
// or multipart/form-data (the docs say "form-data"). One raw reader parses all three, so no extra deps.

export type Json = Record<string, unknown>;

const MAX_BODY = 1024 * 1024;

export function bodyReader(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.body = {};
    next();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.on('end', () => {
    if (size > MAX_BODY) {
      res.status(413).json({ code: 413, message: 'request entity too large' });
      return;
    }
    const parsed = parseBody(req.headers['content-type'] ?? '', Buffer.concat(chunks).toString('utf8'));
    if (parsed === undefined) {
      res.status(400).json({ code: 477, message: 'format error: malformed body' });
      return;
    }
    req.body = parsed;
    next();
  });
  req.on('error', next);
}

export function parseBody(contentType: string, raw: string): Json | undefined {
  const ct = contentType.toLowerCase();
  if (raw.trim() === '') return {};
  if (ct.includes('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
    return boundary ? parseMultipart(raw, boundary[1] ?? boundary[2]) : undefined;
  }
  if (ct.includes('json') || (!ct.includes('urlencoded') && /^\s*[[{]/.test(raw))) {
    try {
      const v: unknown = JSON.parse(raw);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

// Text fields only; file parts are read as text too (the token endpoint never receives files).
function parseMultipart(raw: string, boundary: string): Json {
  const out: Json = {};
  for (const part of raw.split(`--${boundary}`)) {
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const headers = part.slice(0, headerEnd);
    const name = /name="([^"]*)"/i.exec(headers);
    if (!name) continue;
    out[name[1]] = part.slice(headerEnd + 4).replace(/\r\n$/, '');
  }
  return out;
}

// Keys are matched ignoring case, spaces, '_' and '-': invoiceID / InvoiceID / "Invoice ID" all match.
const normalise = (k: string): string => k.toLowerCase().replace(/[\s_-]/g, '');

export function field(body: unknown, ...names: string[]): unknown {
  if (!body || typeof body !== 'object') return undefined;
  const wanted = new Set(names.map(normalise));
  for (const [k, v] of Object.entries(body as Json)) {
    if (wanted.has(normalise(k)) && v !== undefined && v !== null) return v;
  }
  return undefined;
}

export function str(body: unknown, ...names: string[]): string | undefined {
  const v = field(body, ...names);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function obj(body: unknown, ...names: string[]): Json | undefined {
  const v = field(body, ...names);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

export function bool(body: unknown, ...names: string[]): boolean {
  const v = field(body, ...names);
  return v === true || v === 'true' || v === 1 || v === '1';
}
