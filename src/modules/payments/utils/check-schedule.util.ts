import { PaymentStatus } from '../payment-status.enum';

// Default backoff for re-checking a payment still in flight: 30 s, 1, 2, 5, 15 min, 1 h, then every
// 6 h (the last step repeats), until final or the age limit flags it for a human.
export const DEFAULT_CHECK_BACKOFF_SECONDS = [30, 60, 120, 300, 900, 3600, 21600];

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
): Date | null {
  switch (status) {
    case PaymentStatus.CREATED:
    case PaymentStatus.PENDING:
    case PaymentStatus.UNKNOWN:
    case PaymentStatus.REQUIRES_3DS:
      return new Date(now.getTime() + checkDelayMs(attempts, opts.backoffSeconds));
    case PaymentStatus.AUTHORIZED:
      return new Date(now.getTime() + opts.authWindowMs);
    default:
      return null;
  }
}
