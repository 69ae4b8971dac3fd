import { EnvironmentVariables } from '../../../config/env.validation';
import { minimumRetryWindowSeconds, parseRetrySchedule, retryDelayMs } from './retry-schedule.util';

describe('retry schedule', () => {
  it('parses the configured list', () => {
    expect(parseRetrySchedule(' 10, 30 ,60')).toEqual([10, 30, 60]);
  });

  it('walks the schedule and gives up after its last step', () => {
    const schedule = [10, 30, 60];
    const mid = () => 0.5; // no jitter
    expect(retryDelayMs(1, schedule, 20, mid)).toBe(10_000);
    expect(retryDelayMs(2, schedule, 20, mid)).toBe(30_000);
    expect(retryDelayMs(3, schedule, 20, mid)).toBe(60_000);
    expect(retryDelayMs(4, schedule, 20, mid)).toBeNull();
    expect(retryDelayMs(0, schedule, 20, mid)).toBeNull();
  });

  it('keeps jitter within ± the configured percent', () => {
    expect(retryDelayMs(1, [100], 20, () => 0)).toBe(80_000);
    expect(retryDelayMs(1, [100], 20, () => 0.999999)).toBe(120_000);
    for (let i = 0; i < 1000; i++) {
      const d = retryDelayMs(1, [100], 20)!;
      expect(d).toBeGreaterThanOrEqual(80_000);
      expect(d).toBeLessThanOrEqual(120_000);
    }
  });

  it('the default schedule retries for at least 24 hours even with every jitter at its minimum', () => {
    const env = new EnvironmentVariables();
    const schedule = parseRetrySchedule(env.OUTBOUND_EVENTS_RETRY_SECONDS);
    expect(minimumRetryWindowSeconds(schedule, env.OUTBOUND_EVENTS_RETRY_JITTER_PERCENT)).toBeGreaterThanOrEqual(
      24 * 3600,
    );
  });
});
