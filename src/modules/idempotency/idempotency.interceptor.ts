import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { containsWrittenCardNumber } from '../../common/logging/redact.util';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { IdempotencyService } from './idempotency.service';
import { requestHash } from './idempotency-hash.util';
import { IDEMPOTENT, IdempotentOptions } from './idempotent.decorator';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
// how long a retry waits for the first attempt to finish before answering 409
const WAIT_FOR_FIRST_MS = 10_000;

export interface IdempotentRequest extends Request {
  apiKey?: AuthenticatedApiKey;
  idempotencyRecordId?: string;
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly idempotency: IdempotencyService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<IdempotentOptions | undefined>(IDEMPOTENT, ctx.getHandler());
    if (!options) return next.handle();
    const req = ctx.switchToHttp().getRequest<IdempotentRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const key = req.header('idempotency-key');
    if (key === undefined) {
      if (options.required)
        throw new AppException(ErrorCode.IDEMPOTENCY_KEY_REQUIRED, 'Idempotency-Key header is required');
      return next.handle();
    }
    if (!KEY_PATTERN.test(key)) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: Idempotency-Key', [
        { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    }
    // stored and logged as given, and masking it would change which request it names: refused
    if (containsWrittenCardNumber(key.replace(/[._:]/g, '-'))) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: Idempotency-Key', [
        { field: 'Idempotency-Key', message: 'must not contain a card number' },
      ]);
    }
    const apiKeyId = req.apiKey?.id;
    if (!apiKeyId) return next.handle();
    const scope = `${req.method} ${req.baseUrl}${(req.route as { path?: string } | undefined)?.path ?? req.path}`;
    const hash = requestHash(scope, { params: req.params, query: req.query, body: req.body });
    const successStatus: number =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler()) ??
      (req.method === 'POST' ? 201 : 200);

    return from(this.idempotency.begin(apiKeyId, key, scope, hash)).pipe(
      mergeMap((begun): Observable<unknown> => {
        switch (begun.kind) {
          case 'mismatch':
            return throwError(
              () =>
                new AppException(
                  ErrorCode.IDEMPOTENCY_KEY_REUSED,
                  'This Idempotency-Key was used with a different request; use a new key for a new operation',
                ),
            );
          case 'replay':
            return of(this.replay(res, begun.record.responseStatus ?? 200, begun.record.responseBody));
          case 'orphaned':
            return from(this.resolve(res, begun.record.resourceType, begun.record.resourceId));
          case 'in_progress':
            return from(this.idempotency.waitForCompletion(begun.record.id, WAIT_FOR_FIRST_MS)).pipe(
              mergeMap((done) => {
                if (done?.state === 'completed')
                  return of(this.replay(res, done.responseStatus ?? 200, done.responseBody));
                return throwError(
                  () =>
                    new AppException(
                      ErrorCode.IDEMPOTENCY_IN_PROGRESS,
                      'A request with this Idempotency-Key is still being processed; retry later',
                    ),
                );
              }),
            );
          case 'started': {
            req.idempotencyRecordId = begun.record.id;
            return next.handle().pipe(
              mergeMap(async (body) => {
                // stored before the answer leaves, so a retry arriving right after sees it
                await this.idempotency.complete(begun.record.id, successStatus, body);
                return body;
              }),
              catchError((err: unknown) =>
                // the request's own error is the answer, also when the database is too far gone to abandon
                from(this.idempotency.abandon(begun.record.id).catch(() => undefined)).pipe(
                  mergeMap(() => throwError(() => err)),
                ),
              ),
            );
          }
        }
      }),
    );
  }

  private replay(res: Response, status: number, body: unknown): unknown {
    res.status(status);
    res.setHeader('Idempotent-Replayed', 'true');
    return body;
  }

  private async resolve(res: Response, type: string | null, id: string | null): Promise<unknown> {
    const resolver = this.idempotency.resolver(type);
    if (!resolver || !id) {
      throw new AppException(
        ErrorCode.IDEMPOTENCY_IN_PROGRESS,
        'The first request with this key did not finish; check the resource before retrying',
      );
    }
    res.status(200);
    res.setHeader('Idempotent-Replayed', 'true');
    return resolver(id);
  }
}
