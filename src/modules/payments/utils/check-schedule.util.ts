import { PaymentStatus } from '../payment-status.enum';

// Default backoff for re-checking a payment still in flight: 30 s, 1, 2, 5, 15 min, 1 h, then every
// 6 h (the last step repeats), until final or the age limit flags it for a human.
export const DEFAULT_CHECK_BACKOFF_SECONDS = [30, 60, 120, 300, 900, 3600, 21600];

// A payment failed only because the bank had no record of it 15 minutes after an ambiguous send
// (status 102) may still turn up charged if the bank was lagging: it is re-checked at the slowest
// step of the backoff for this long after it failed.
export const NOT_FOUND_FAILURE_CODE = 'not_found_at_bank';
export const NOT_FOUND_RECHECK_FOR_MS = 7 * 24 * 3_600_000;

export function slowestDelayMs(backoffSeconds: readonly number[]): number {
  return backoffSeconds[backoffSeconds.length - 1] * 1000;
}

export function parseBackoff(text: string): number[] {
  const steps = text
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isFinite(n) && n > 0);
  return steps.length ? steps : DEFAULT_CHECK_BACKOFF_SECONDS;
}

export function checkDelayMs(attempts: number, backoffSeconds: readonly number[]): number {
  return backoffSeconds[Math.min(attempts, backoffSeconds.length - 1)] * 1000;
}

// When the poller should next look at a payment in this status, or null when it has nothing to learn.
// Authorised payments are looked at once their hold may have lapsed (the bank's CANCEL_OLD).
export function nextCheckAt(
  status: PaymentStatus,
  attempts: number,
  now: Date,
  opts: { authWindowMs: number; backoffSeconds: readonly number[] },
  failureCode?: string | null,
): Date | null {
  switch (status) {
    case PaymentStatus.CREATED:
    case PaymentStatus.PENDING:
    case PaymentStatus.UNKNOWN:
    case PaymentStatus.REQUIRES_3DS:
      return new Date(now.getTime() + checkDelayMs(attempts, opts.backoffSeconds));
    case PaymentStatus.AUTHORIZED:
      return new Date(now.getTime() + opts.authWindowMs);
    case PaymentStatus.FAILED:
      return failureCode === NOT_FOUND_FAILURE_CODE
        ? new Date(now.getTime() + slowestDelayMs(opts.backoffSeconds))
        : null;
    default:
      return null;
  }
}
