import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppException } from '../errors/app.exception';
import { ErrorCode } from '../errors/error-code.enum';

export const KEY_THROTTLER = 'api-key';
export const PUBLIC_THROTTLER = 'public-ip';
export const AUTH_FAILURE_THROTTLER = 'auth-failures';

// what the API key guard attaches to an authenticated request; only its id is relied on
type MaybeAuthenticated = Request & { apiKey?: { id?: unknown } };

export function authenticatedKeyId(req: Request): string | undefined {
  const id = (req as MaybeAuthenticated).apiKey?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

// The one storage key of a tracker: limits count per API key (or client IP) over all routes together.
export function rateLimitKey(throttler: string, tracker: string): string {
  return `${throttler}:${tracker}`;
}

export function throwRateLimited(res: Response, retryAfterSeconds: number, limit: number, windowMs: number): never {
  const retryAfter = Math.max(1, retryAfterSeconds);
  res.setHeader('Retry-After', String(retryAfter));
  throw new AppException(ErrorCode.RATE_LIMITED, `Too many requests; retry after ${retryAfter} s`, {
    limit,
    windowSeconds: Math.round(windowMs / 1000),
    retryAfterSeconds: retryAfter,
  });
}

// Runs after the API key guard: an authenticated request counts against its key, a public route
// (no key needed) against the client's IP. 429 RATE_LIMITED with Retry-After.
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return rateLimitKey(throttler, tracker);
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throwRateLimited(
      context.switchToHttp().getResponse<Response>(),
      detail.timeToBlockExpire,
      detail.limit,
      detail.ttl,
    );
  }
}
