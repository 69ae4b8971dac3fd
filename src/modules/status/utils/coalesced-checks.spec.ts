import { CoalescedChecks } from './coalesced-checks';

// A check that stays open until released, counting how often it started.
function gate() {
  let started = 0;
  const releases: ((v: string) => void)[] = [];
  const fn = () =>
    new Promise<string>((resolve) => {
      started++;
      releases.push(resolve);
    });
  return { fn, started: () => started, release: (v: string) => releases.shift()!(v) };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('CoalescedChecks', () => {
  it('latest(): callers while a check runs join it', async () => {
    const c = new CoalescedChecks<string>(0);
    const g = gate();
    const all = Promise.all([c.latest('p', g.fn), c.latest('p', g.fn), c.latest('p', g.fn)]);
    await tick();
    g.release('charged');
    const results = await all;
    expect(g.started()).toBe(1);
    expect(results.map((r) => r.value)).toEqual(['charged', 'charged', 'charged']);
    expect(results.map((r) => r.shared)).toEqual([false, true, true]);
  });

  it('latest(): within the interval the last answer is shared; other keys are independent', async () => {
    const c = new CoalescedChecks<string>(60_000);
    const g = gate();
    const first = c.latest('p', g.fn);
    await tick();
    g.release('pending');
    await first;
    expect(await c.latest('p', g.fn)).toEqual({ value: 'pending', shared: true });
    const other = c.latest('q', g.fn);
    await tick();
    g.release('q');
    expect((await other).shared).toBe(false);
    expect(g.started()).toBe(2);
  });

  it('after(): a hint during a check gets a second check once it ends, shared by every later hint', async () => {
    const c = new CoalescedChecks<string>(0);
    const g = gate();
    const first = c.after('p', g.fn);
    await tick();
    const hints = Promise.all([c.after('p', g.fn), c.after('p', g.fn)]);
    g.release('old');
    await first;
    await tick();
    expect(g.started()).toBe(2);
    g.release('new');
    expect((await hints).map((r) => r.value)).toEqual(['new', 'new']);
  });

  it('failures are not remembered; close() cancels scheduled checks', async () => {
    const c = new CoalescedChecks<string>(60_000);
    await expect(c.latest('p', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await c.latest('p', () => Promise.resolve('up'))).toEqual({ value: 'up', shared: false });
    // within the interval, a hint is scheduled for later
    const later = c.after('p', () => Promise.resolve('never'));
    await c.close();
    await expect(later).rejects.toThrow('shutting down');
  });
});
