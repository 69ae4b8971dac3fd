import { PaymentStatus } from '../payment-status.enum';

// Backoff for re-checking a payment that is still in flight (issue #6): 30 s, 1, 2, 5, 15 min,
// 1 h, then every 6 h, until final or the age limit flags it for a human.
export const CHECK_BACKOFF_MS = [30_000, 60_000, 120_000, 300_000, 900_000, 3_600_000];
export const CHECK_STEADY_MS = 6 * 3_600_000;

export function checkDelayMs(attempts: number): number {
  return attempts < CHECK_BACKOFF_MS.length ? CHECK_BACKOFF_MS[attempts] : CHECK_STEADY_MS;
}

// When the poller should next look at a payment in this status, or null when it has nothing to learn.
// Authorised payments are looked at once their hold may have lapsed (the bank's CANCEL_OLD).
export function nextCheckAt(status: PaymentStatus, attempts: number, now: Date, authWindowMs: number): Date | null {
  switch (status) {
    case PaymentStatus.CREATED:
    case PaymentStatus.PENDING:
    case PaymentStatus.UNKNOWN:
    case PaymentStatus.REQUIRES_3DS:
      return new Date(now.getTime() + checkDelayMs(attempts));
    case PaymentStatus.AUTHORIZED:
      return new Date(now.getTime() + authWindowMs);
    default:
      return null;
  }
}
