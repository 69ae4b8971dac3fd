import { PaymentStatus } from '../../payments/payment-status.enum';
import {
  attentionDeadline,
  isPastAgeLimit,
  nextCheckAfterUnchanged,
  ScheduleSettings,
} from './reconciliation-schedule.util';

const H = 3_600_000;
const settings: ScheduleSettings = {
  backoffSeconds: [30, 60, 120, 300, 900, 3600, 21600],
  authWindowMs: 168 * H,
  maxAgeMs: 72 * H,
};
const created = new Date('2025-01-01T00:00:00Z');
const at = (ms: number) => new Date(created.getTime() + ms);

describe('reconciliation schedule', () => {
  it('walks the backoff 1 min, 2, 5, 15 min, 1 h, then every 6 h after unchanged checks', () => {
    const steps = [1, 2, 3, 4, 5, 6, 7, 12].map(
      (n) =>
        (nextCheckAfterUnchanged({ status: PaymentStatus.UNKNOWN, createdAt: created }, n, at(0), settings).getTime() -
          created.getTime()) /
        1000,
    );
    expect(steps).toEqual([60, 120, 300, 900, 3600, 21600, 21600, 21600]);
  });

  it('does not look at an authorisation again before its hold may have lapsed', () => {
    const p = { status: PaymentStatus.AUTHORIZED, createdAt: created };
    expect(nextCheckAfterUnchanged(p, 1, at(H), settings)).toEqual(at(168 * H));
    expect(nextCheckAfterUnchanged(p, 1, at(170 * H), settings)).toEqual(at(170 * H + 60_000));
  });

  it('flags in-flight payments past the age limit, authorisations only past their window plus the limit', () => {
    expect(attentionDeadline({ status: PaymentStatus.PENDING, createdAt: created }, settings)).toEqual(at(72 * H));
    expect(isPastAgeLimit({ status: PaymentStatus.PENDING, createdAt: created }, at(72 * H - 1), settings)).toBe(false);
    expect(isPastAgeLimit({ status: PaymentStatus.PENDING, createdAt: created }, at(72 * H), settings)).toBe(true);
    expect(isPastAgeLimit({ status: PaymentStatus.AUTHORIZED, createdAt: created }, at(200 * H), settings)).toBe(false);
    expect(isPastAgeLimit({ status: PaymentStatus.AUTHORIZED, createdAt: created }, at(240 * H), settings)).toBe(true);
  });
});
