import { createHmac, timingSafeEqual } from 'node:crypto';

// Headers of every delivery (recipe in docs/webhooks-receiving.md).
export const WEBHOOK_ID_HEADER = 'Epay-Webhook-Id';
export const WEBHOOK_TIMESTAMP_HEADER = 'Epay-Webhook-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'Epay-Webhook-Signature';
// receivers should refuse older (or further future) timestamps: a captured request cannot be replayed later
export const SIGNATURE_TOLERANCE_SECONDS = 300;

// HMAC-SHA256 over "<timestamp>.<raw body>", keyed with the endpoint secret's UTF-8 bytes, as lowercase hex.
export function computeSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

// "v1=<hex>", or "v1=<new> v1=<old>" while a rotated secret is still valid: a receiver accepts any match.
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return secrets.map((s) => `v1=${computeSignature(s, timestamp, body)}`).join(' ');
}

export interface VerifyInput {
  header: string | undefined;
  timestamp: string | undefined;
  body: string;
  secret: string;
  nowSeconds?: number;
  toleranceSeconds?: number;
}

// The receiving side's check (timing-safe), kept here for our own tests and any Node receiver.
export function verifySignature(input: VerifyInput): boolean {
  const { header, timestamp, body, secret } = input;
  if (!header || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(computeSignature(secret, Number(timestamp), body), 'hex');
  return header
    .split(' ')
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const given = Buffer.from(part.slice(3), 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
