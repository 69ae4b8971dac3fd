import { runWithConcurrency } from './run-with-concurrency.util';

describe('runWithConcurrency', () => {
  it('never runs more than the limit at once and keeps the order of results', async () => {
    let active = 0;
    let peak = 0;
    const results = await runWithConcurrency([5, 1, 4, 2, 3, 0], 3, async (n) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, n * 3));
      active--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(3);
  });

  it('starts nothing more once asked to stop', async () => {
    let started = 0;
    const results = await runWithConcurrency(
      [1, 2, 3, 4],
      1,
      async (n) => {
        started++;
        return n;
      },
      () => started >= 2,
    );
    expect(results).toEqual([1, 2, undefined, undefined]);
  });

  it('handles an empty list', async () => {
    await expect(runWithConcurrency([], 4, async () => 1)).resolves.toEqual([]);
  });
});
