import { AppException } from './app.exception';
import { ErrorCode } from './error-code.enum';

// After a money-moving call may have left, an error of ours (the database going away while the
// answer is recorded) must not read as "nothing happened": the client gets 503 OUTCOME_PENDING with
// the ids to read, and is told not to send the request again under a new key.
export function outcomePending(err: unknown, what: string, ids: Record<string, string>): unknown {
  if (err instanceof AppException) return err;
  return new AppException(
    ErrorCode.OUTCOME_PENDING,
    `The ${what} outcome is not recorded yet: retry with the same Idempotency-Key or read the ${what}; do not ${what === 'payment' ? 'pay' : `send the ${what}`} again`,
    ids,
    { cause: err },
  );
}
