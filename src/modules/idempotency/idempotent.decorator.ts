import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IdempotencyInterceptor } from './idempotency.interceptor';

export const IDEMPOTENT = 'idempotent';

export interface IdempotentOptions {
  // admin refunds must carry a key; client payment POSTs are strongly advised to
  required?: boolean;
}

// Money-moving POSTs: same Idempotency-Key + same request returns the stored answer (also while
// the first is still running: we wait, then 409), never a second bank call; a different request → 422.
export const Idempotent = (options: IdempotentOptions = {}) =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: options.required ?? false,
      description: 'Unique key per logical operation (e.g. a UUID); kept for at least 24 h',
    }),
  );
