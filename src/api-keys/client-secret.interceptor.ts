import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, Observable } from 'rxjs';
import type { OwnResource } from './auth.decorators';
import { ClientSecretService } from './client-secret.service';

const ISSUES_CLIENT_SECRET = 'auth:issues-client-secret';

interface IssueRule {
  resource: OwnResource;
  // where the resource's id is in the answer (a dotted path: "payment.id")
  idField: string;
}

// The creation answer of a payment or transfer carries its clientSecret. Added here, outside the
// idempotency interceptor (global interceptors wrap route ones), so stored replays never hold it.
export const IssuesClientSecret = (resource: OwnResource, idField = 'id') =>
  SetMetadata(ISSUES_CLIENT_SECRET, { resource, idField } satisfies IssueRule);

@Injectable()
export class ClientSecretInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly secrets: ClientSecretService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rule = this.reflector.get<IssueRule | undefined>(ISSUES_CLIENT_SECRET, ctx.getHandler());
    if (!rule) return next.handle();
    return next.handle().pipe(
      map((body: unknown) => {
        if (!body || typeof body !== 'object') return body;
        const id = rule.idField
          .split('.')
          .reduce<unknown>(
            (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
            body,
          );
        return typeof id === 'string' ? { ...body, clientSecret: this.secrets.mint(rule.resource, id) } : body;
      }),
    );
  }
}
