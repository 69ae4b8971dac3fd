import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfigService } from '../../config/app-config.service';
import { redact, redactString } from './redact.util';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

// A caller's id is bound to every log line of its request, where redaction does not reach (pino
// bindings): one that holds a card number (any separators) is replaced, never masked in place.
export function isSafeRequestId(candidate: string): boolean {
  if (!REQUEST_ID.test(candidate)) return false;
  const spaced = candidate.replace(/[._:]/g, '-');
  return redactString(spaced) === spaced && candidate.split(/[._:-]/).every((part) => redactString(part) === part);
}

// Accept a caller's X-Request-Id when it is harmless, otherwise mint one; echo it on the response.
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const header = req.headers['x-request-id'];
  const candidate = Array.isArray(header) ? header[0] : header;
  const id = candidate && isSafeRequestId(candidate) ? candidate : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

export function buildLoggerParams(config: AppConfigService): Params {
  const file = config.get('LOG_FILE');
  const destination = file ? pino.destination({ dest: file, sync: false, mkdir: true }) : pino.destination(1);
  return {
    pinoHttp: [
      {
        level: config.get('LOG_LEVEL'),
        genReqId: requestIdFor,
        // request logs keep method, path and status only: no bodies, no headers with credentials
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({
            id: req.id,
            method: req.method,
            url: redactString(req.url.split('?')[0]),
          }),
          // pino-http hands over a wrapped response whose own statusCode can be null; the raw one is right
          res: (res: { statusCode: number | null; raw?: { statusCode: number } }) => ({
            statusCode: res.raw?.statusCode ?? res.statusCode,
          }),
          err: (err: Error) => redact({ type: err.name, message: err.message, stack: err.stack }),
        },
        customLogLevel: (_req, res, err) =>
          err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
        formatters: { log: (obj: Record<string, unknown>) => redact(obj) },
        hooks: {
          logMethod(args, method) {
            const safe = args.map((a) => (typeof a === 'string' ? redactString(a) : a)) as Parameters<typeof method>;
            method.apply(this, safe);
          },
        },
        redact: {
          paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
          censor: '[REDACTED]',
        },
      },
      destination,
    ],
  };
}
