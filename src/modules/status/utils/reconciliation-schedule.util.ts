import { checkDelayMs } from '../../payments/utils/check-schedule.util';
import { PaymentStatus } from '../../payments/payment-status.enum';

// Statuses the payments queue polls: not final, and the bank may still tell us something. Charged and
// partially refunded payments are settled (refunds are the refunds queue's business).
export const POLLABLE_PAYMENT_STATUSES: readonly PaymentStatus[] = [
  PaymentStatus.CREATED,
  PaymentStatus.PENDING,
  PaymentStatus.REQUIRES_3DS,
  PaymentStatus.UNKNOWN,
  PaymentStatus.AUTHORIZED,
];

export interface ScheduleSubject {
  status: PaymentStatus;
  createdAt: Date;
}

export interface ScheduleSettings {
  backoffSeconds: readonly number[];
  authWindowMs: number;
  maxAgeMs: number;
}

// After a check that changed nothing: the `attempts`-th step of the backoff (attempts counts this
// check too). An authorisation is not looked at again before its hold may have lapsed.
export function nextCheckAfterUnchanged(p: ScheduleSubject, attempts: number, now: Date, s: ScheduleSettings): Date {
  const backoff = now.getTime() + checkDelayMs(attempts, s.backoffSeconds);
  if (p.status === PaymentStatus.AUTHORIZED) return new Date(Math.max(backoff, p.createdAt.getTime() + s.authWindowMs));
  return new Date(backoff);
}

// When a payment still not settled stops being polled and goes to a human: the age limit counts from
// creation, or for an authorisation from the end of its expected hold.
export function attentionDeadline(p: ScheduleSubject, s: ScheduleSettings): Date {
  const start = p.createdAt.getTime() + (p.status === PaymentStatus.AUTHORIZED ? s.authWindowMs : 0);
  return new Date(start + s.maxAgeMs);
}

export function isPastAgeLimit(p: ScheduleSubject, now: Date, s: ScheduleSettings): boolean {
  return now.getTime() >= attentionDeadline(p, s).getTime();
}
