import { Injectable } from '@nestjs/common';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { redactString } from '../../common/logging/redact.util';
import { AppConfigService } from '../../config/app-config.service';
import { ForbiddenAddressError, hostProblem, safeLookup } from './utils/address-policy.util';

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
// must be updated by an admin, not silently chased). Unless WEBHOOK_ALLOW_PRIVATE_URLS, the address
// connected to must be public: IP literals are judged before connecting, names at DNS resolution
// (the socket's own lookup), so a rebound name cannot reach 127.0.0.1 or 169.254.169.254.
@Injectable()
export class WebhookSenderService {
  private readonly allowPrivate: boolean;

  constructor(config: AppConfigService) {
    this.allowPrivate = config.get('WEBHOOK_ALLOW_PRIVATE_URLS');
  }

  async post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const target = new URL(url);
      const refused = this.allowPrivate ? null : hostProblem(target.hostname);
      if (refused) throw new ForbiddenAddressError(`refused: ${target.hostname} ${refused}`);
      const { statusCode, excerpt } = await this.send(target, body, headers, timeoutMs);
      const success = statusCode >= 200 && statusCode < 300;
      return {
        success,
        statusCode,
        responseExcerpt: excerpt,
        error: success ? null : `HTTP ${statusCode}`,
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

  private send(
    target: URL,
    body: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<{ statusCode: number; excerpt: string | null }> {
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        target,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            'User-Agent': USER_AGENT,
            ...headers,
          },
          signal: AbortSignal.timeout(timeoutMs),
          ...(this.allowPrivate ? {} : { lookup: safeLookup }),
        },
        (res) => {
          readExcerpt(res).then((excerpt) => resolve({ statusCode: res.statusCode ?? 0, excerpt }), reject);
        },
      );
      req.once('error', reject);
      req.end(body);
    });
  }
}

function readExcerpt(res: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      // stop reading a large answer; frees the connection
      res.removeAllListeners('data');
      if (!res.complete) res.destroy();
      resolve(
        size === 0 ? null : redactString(Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8')),
      );
    };
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= RESPONSE_EXCERPT_BYTES) done();
    });
    res.once('end', done);
    // a body cut off mid-way still leaves the status; keep what arrived
    res.once('error', done);
    res.once('aborted', done);
  });
}

function describeError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  if (err instanceof ForbiddenAddressError) return redactString(err.message).slice(0, 500);
  const code = e?.code ?? e?.cause?.code;
  const message = e?.message ?? e?.cause?.message ?? String(err);
  return redactString(code && !message.startsWith(code) ? `${code}: ${message}` : message).slice(0, 500);
}
