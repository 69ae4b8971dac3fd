// The ONE coalescing of bank status checks (per payment, per replica): at most one check of a key in
// flight, and at most one started per `minIntervalMs`. Two ways to ask:
// - latest(): "what does the bank say now?" (GET ?refresh=true, the reconciliation report): joins a
//   check in flight, or takes the answer of one started within the interval, else starts one;
// - after(): "something happened, look again" (postLink callback, unreadable payment reply): needs a
//   check that starts after the call; joins one already scheduled, or schedules one right after the
//   check in flight / at the end of the interval. A flood of hints costs one check per interval.
// Failures are not remembered: the next caller asks again.
export interface CoalescedResult<V> {
  value: V;
  // true when the answer came from a check another caller started
  shared: boolean;
}

interface Flight<V> {
  startedAt: number;
  promise: Promise<V>;
}

// entries older than the interval are useless; pruning starts past this many keys
const PRUNE_ABOVE = 1000;

export class CoalescedChecks<V> {
  private readonly flights = new Map<string, Flight<V>>();
  private readonly recent = new Map<string, { startedAt: number; value: V }>();
  private readonly lastStart = new Map<string, number>();
  private readonly scheduled = new Map<string, Promise<V>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;
  // bank calls actually made (tests and metrics)
  started = 0;

  constructor(private readonly minIntervalMs: number) {}

  async latest(key: string, fn: () => Promise<V>): Promise<CoalescedResult<V>> {
    const flight = this.flights.get(key);
    if (flight) return { value: await flight.promise, shared: true };
    const last = this.recent.get(key);
    if (last && Date.now() - last.startedAt < this.minIntervalMs) return { value: last.value, shared: true };
    const scheduled = this.scheduled.get(key);
    if (scheduled) return { value: await scheduled, shared: true };
    return { value: await this.start(key, fn), shared: false };
  }

  async after(key: string, fn: () => Promise<V>): Promise<CoalescedResult<V>> {
    const scheduled = this.scheduled.get(key);
    if (scheduled) return { value: await scheduled, shared: true };
    const flight = this.flights.get(key);
    const wait = this.waitMs(key);
    if (!flight && wait <= 0) return { value: await this.start(key, fn), shared: false };
    const slot: { promise?: Promise<V> } = {};
    const next = (async () => {
      try {
        if (flight) await flight.promise.catch(() => undefined);
        await this.sleep(this.waitMs(key));
        // whoever joins from now on needs a check that starts later than this one
        this.scheduled.delete(key);
        return await this.start(key, fn);
      } finally {
        if (this.scheduled.get(key) === slot.promise) this.scheduled.delete(key);
      }
    })();
    slot.promise = next;
    this.scheduled.set(key, next);
    return { value: await next, shared: false };
  }

  // Cancels scheduled checks (they reject) and waits for the ones in flight.
  async close(): Promise<void> {
    this.closed = true;
    for (const [timer, cancel] of this.timers) {
      clearTimeout(timer);
      cancel();
    }
    this.timers.clear();
    await Promise.allSettled([...this.flights.values()].map((f) => f.promise));
  }

  private waitMs(key: string): number {
    const last = this.lastStart.get(key);
    return last === undefined ? 0 : last + this.minIntervalMs - Date.now();
  }

  private start(key: string, fn: () => Promise<V>): Promise<V> {
    if (this.closed) return Promise.reject(new Error('status checks are shutting down'));
    const startedAt = Date.now();
    this.prune(startedAt);
    this.started++;
    this.lastStart.set(key, startedAt);
    const promise = fn().then(
      (value) => {
        this.recent.set(key, { startedAt, value });
        return value;
      },
      (err: unknown) => {
        throw err;
      },
    );
    const flight = { startedAt, promise };
    this.flights.set(key, flight);
    void promise
      .finally(() => {
        if (this.flights.get(key) === flight) this.flights.delete(key);
      })
      .catch(() => undefined);
    return promise;
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      this.timers.set(timer, () => reject(new Error('status checks are shutting down')));
    });
  }

  private prune(now: number): void {
    if (this.lastStart.size <= PRUNE_ABOVE) return;
    for (const [key, at] of this.lastStart) {
      if (now - at < this.minIntervalMs || this.flights.has(key) || this.scheduled.has(key)) continue;
      this.lastStart.delete(key);
      this.recent.delete(key);
    }
  }
}
