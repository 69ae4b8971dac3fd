import { ExecutionContext, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { AppConfigService } from '../../config/app-config.service';
import { AuthFailureLimitMiddleware } from './auth-failure-limit.middleware';
import { authenticatedKeyId, clientIp, KEY_THROTTLER, PUBLIC_THROTTLER, RateLimitGuard } from './rate-limit.guard';
import { RATE_LIMIT_SETTINGS, rateLimitSettings } from './rate-limit.settings';

// Counters live in this replica's memory (@nestjs/throttler's storage): with N replicas behind a
// balancer a client gets up to N × the limit. That is deliberate: a shared counter would cost a
// database write per request, and a flood would turn into database load, the thing limits protect.
// Must be imported after ApiKeysModule: its guard runs after the key guard and sees the key's id.
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => {
        const s = rateLimitSettings(config);
        const isKeyed = (req: Request) => authenticatedKeyId(req) !== undefined;
        // a throttler's own skipIf replaces the module-wide one, so each names "off" itself
        const request = (ctx: ExecutionContext) => ctx.switchToHttp().getRequest<Request>();
        return {
          setHeaders: false,
          throttlers: [
            {
              name: KEY_THROTTLER,
              ttl: s.windowMs,
              limit: s.perKey,
              skipIf: (ctx) => !s.enabled || !isKeyed(request(ctx)),
              getTracker: (req) => authenticatedKeyId(req as Request) ?? '',
            },
            {
              name: PUBLIC_THROTTLER,
              ttl: s.windowMs,
              limit: s.publicPerIp,
              skipIf: (ctx) => !s.enabled || isKeyed(request(ctx)),
              getTracker: (req) => clientIp(req as Request),
            },
          ],
        };
      },
    }),
  ],
  providers: [
    { provide: RATE_LIMIT_SETTINGS, inject: [AppConfigService], useFactory: rateLimitSettings },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    AuthFailureLimitMiddleware,
  ],
})
export class RateLimitModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthFailureLimitMiddleware).forRoutes('*path');
  }
}
