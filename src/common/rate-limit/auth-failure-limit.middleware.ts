import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { getStorageToken, ThrottlerStorageService } from '@nestjs/throttler';
import type { NextFunction, Request, Response } from 'express';
import { AUTH_FAILURE_THROTTLER, clientIp, rateLimitKey, throwRateLimited } from './rate-limit.guard';
import { RATE_LIMIT_SETTINGS, type RateLimitSettings } from './rate-limit.settings';

// Bad-key floods: every 401 answer counts against the client's IP; past the limit that IP gets 429 for
// the rest of the window before its key is even looked up (no database query per guess).
@Injectable()
export class AuthFailureLimitMiddleware implements NestMiddleware {
  constructor(
    @Inject(getStorageToken()) private readonly storage: ThrottlerStorageService,
    @Inject(RATE_LIMIT_SETTINGS) private readonly settings: RateLimitSettings,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (!this.settings.enabled) return next();
    const { authFailuresPerIp: limit, windowMs } = this.settings;
    const key = rateLimitKey(AUTH_FAILURE_THROTTLER, clientIp(req));
    const record = this.storage.storage.get(key);
    if (record?.isBlocked && record.blockExpiresAt > Date.now()) {
      throwRateLimited(res, Math.ceil((record.blockExpiresAt - Date.now()) / 1000), limit, windowMs);
    }
    // the storage blocks once hits exceed its limit; here the limit-th failure already blocks the next request
    res.once('finish', () => {
      if (res.statusCode === 401) {
        void this.storage.increment(key, windowMs, limit - 1, windowMs, AUTH_FAILURE_THROTTLER);
      }
    });
    next();
  }
}
