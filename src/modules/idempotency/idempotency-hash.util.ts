import { createHash } from 'node:crypto';
import { isSensitiveKey } from '../../common/logging/redact.util';

// A hash of the request that tells "same request" from "different request" without ever hashing card
// data: a plain SHA-256 over a PAN+CVC is brute-forceable. Sensitive fields are reduced to what is
// safe to keep (last four digits of a number, the length of a token or cryptogram).
export function canonicalRequest(value: unknown, key = ''): unknown {
  if (key && isSensitiveKey(key)) {
    if (typeof value === 'string' || typeof value === 'number') {
      const s = String(value);
      return /^[\d\s-]{12,23}$/.test(s) ? `pan:${s.replace(/\D/g, '').slice(-4)}` : `len:${s.length}`;
    }
    return value === null || value === undefined ? value : `obj:${JSON.stringify(value).length}`;
  }
  if (Array.isArray(value)) return value.map((v) => canonicalRequest(v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = canonicalRequest((value as Record<string, unknown>)[k], k);
    return out;
  }
  return value;
}

export function requestHash(scope: string, body: unknown): string {
  return createHash('sha256')
    .update(scope)
    .update('\n')
    .update(JSON.stringify(canonicalRequest(body ?? null)))
    .digest('hex');
}
