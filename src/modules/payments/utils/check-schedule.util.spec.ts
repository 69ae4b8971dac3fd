import { PaymentStatus } from '../payment-status.enum';
import {
  checkDelayMs,
  DEFAULT_CHECK_BACKOFF_SECONDS,
  NOT_FOUND_FAILURE_CODE,
  nextCheckAt,
  parseBackoff,
} from './check-schedule.util';

describe('check schedule', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const opts = { authWindowMs: 7 * 24 * 3_600_000, backoffSeconds: DEFAULT_CHECK_BACKOFF_SECONDS };

  it('backs off 30 s, 1, 2, 5, 15 min, 1 h, then every 6 h', () => {
    const delays = Array.from({ length: 10 }, (_, i) => checkDelayMs(i, DEFAULT_CHECK_BACKOFF_SECONDS) / 1000);
    expect(delays).toEqual([30, 60, 120, 300, 900, 3600, 21600, 21600, 21600, 21600]);
  });

  it('schedules in-flight payments, authorisations at the end of their window, and nothing else', () => {
    expect(nextCheckAt(PaymentStatus.UNKNOWN, 0, now, opts)?.toISOString()).toBe('2026-01-01T00:00:30.000Z');
    expect(nextCheckAt(PaymentStatus.AUTHORIZED, 0, now, opts)?.toISOString()).toBe('2026-01-08T00:00:00.000Z');
    expect(nextCheckAt(PaymentStatus.CHARGED, 0, now, opts)).toBeNull();
    expect(nextCheckAt(PaymentStatus.FAILED, 3, now, opts)).toBeNull();
  });

  it('a payment failed as not found at the bank is looked at again at the slowest step (6 h)', () => {
    expect(nextCheckAt(PaymentStatus.FAILED, 0, now, opts, NOT_FOUND_FAILURE_CODE)?.toISOString()).toBe(
      '2026-01-01T06:00:00.000Z',
    );
    expect(nextCheckAt(PaymentStatus.FAILED, 0, now, opts, 'epay_484')).toBeNull();
  });

  it('parses a configured schedule and falls back on garbage', () => {
    expect(parseBackoff('1, 2,3')).toEqual([1, 2, 3]);
    expect(parseBackoff('x')).toEqual(DEFAULT_CHECK_BACKOFF_SECONDS);
  });
});
