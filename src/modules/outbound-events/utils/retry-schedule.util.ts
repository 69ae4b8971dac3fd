// Delivery retries: the n-th retry waits schedule[n-1] seconds ± jitter; after the last one the delivery is dead.

export function parseRetrySchedule(value: string): number[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
}

// Delay before the next attempt after `failedAttempts` failures in a row, or null when retries are used up.
// Jitter spreads the retries of deliveries that failed together (an outage) instead of hitting the
// receiver in one burst when it comes back.
export function retryDelayMs(
  failedAttempts: number,
  scheduleSeconds: readonly number[],
  jitterPercent: number,
  random: () => number = Math.random,
): number | null {
  if (failedAttempts < 1 || failedAttempts > scheduleSeconds.length) return null;
  const base = scheduleSeconds[failedAttempts - 1] * 1000;
  const spread = (jitterPercent / 100) * (2 * random() - 1);
  return Math.max(0, Math.round(base * (1 + spread)));
}

// The shortest time from the first attempt to the dead letter, with every jitter at its minimum.
export function minimumRetryWindowSeconds(scheduleSeconds: readonly number[], jitterPercent: number): number {
  return scheduleSeconds.reduce((sum, s) => sum + s, 0) * (1 - jitterPercent / 100);
}
