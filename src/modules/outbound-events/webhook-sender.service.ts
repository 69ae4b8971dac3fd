import { Injectable } from '@nestjs/common';
import { redactString } from '../../common/logging/redact.util';

export interface SendResult {
  success: boolean;
  statusCode: number | null;
  // at most 1 KB of the answer, PAN-like numbers masked
  responseExcerpt: string | null;
  error: string | null;
  durationMs: number;
}

export const RESPONSE_EXCERPT_BYTES = 1024;
const USER_AGENT = 'epay-gateway-webhooks/1';

// One HTTP POST to a company endpoint. Success is any 2xx; redirects are not followed (a moved endpoint
// must be updated by an admin, not silently chased).
@Injectable()
export class WebhookSenderService {
  async post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT, ...headers },
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const excerpt = await readExcerpt(res);
      const success = res.status >= 200 && res.status < 300;
      return {
        success,
        statusCode: res.status,
        responseExcerpt: excerpt,
        error: success ? null : `HTTP ${res.status}`,
        durationMs: elapsed(),
      };
    } catch (err) {
      return {
        success: false,
        statusCode: null,
        responseExcerpt: null,
        error: describeError(err, timeoutMs),
        durationMs: elapsed(),
      };
    }
  }
}

async function readExcerpt(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // a body cut off mid-way still leaves the status; keep what arrived
  } finally {
    // stop reading a large answer; frees the connection
    void reader.cancel().catch(() => undefined);
  }
  if (size === 0) return null;
  return redactString(Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8'));
}

function describeError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  const cause = e?.cause;
  const text = cause?.code ? `${cause.code}: ${cause.message ?? ''}` : (cause?.message ?? e?.message ?? String(err));
  return redactString(text).slice(0, 500);
}
