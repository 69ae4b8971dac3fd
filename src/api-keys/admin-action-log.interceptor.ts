import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { Repository } from 'typeorm';
import type { AuthenticatedApiKey } from './access-policy';
import { ApiKeyKind } from './api-key-kind.enum';
import { AdminActionEntity } from './admin-action.entity';

// Every request an admin key makes that is not a read is recorded with the key and its name once the
// answer has gone out (so the status is the one the caller saw): replays, endpoint and key changes,
// card deletions as well as refunds. Payment actions are also in the payment's events
// (AdminAuditService), in the same transaction as the action itself.
@Injectable()
export class AdminActionLogInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AdminActionLogInterceptor.name);

  constructor(@InjectRepository(AdminActionEntity) private readonly repo: Repository<AdminActionEntity>) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request & { apiKey?: AuthenticatedApiKey; id?: unknown }>();
    const key = req.apiKey;
    if (key?.kind === ApiKeyKind.ADMIN && req.method !== 'GET' && req.method !== 'HEAD') {
      const res = ctx.switchToHttp().getResponse<Response>();
      const routePath = (req.route as { path?: string } | undefined)?.path ?? req.path;
      const id = req.params.id;
      res.once('finish', () => {
        this.repo
          .insert({
            apiKeyId: key.id,
            keyName: key.name,
            adminRole: key.adminRole ?? 'viewer',
            method: req.method,
            route: `${req.method} ${routePath}`,
            targetId: typeof id === 'string' ? id : null,
            statusCode: res.statusCode,
            requestId: typeof req.id === 'string' ? req.id : null,
          })
          .catch((err: unknown) => this.logger.error({ err, route: routePath }, 'could not record an admin action'));
      });
    }
    return next.handle();
  }
}
