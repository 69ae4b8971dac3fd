import request from 'supertest';
import { DomainEvent, DomainEvents } from '../src/common/events/domain-events.service';
import { api, waitFor } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

// The scheduled poller, switched on, in one replica (several replicas: poller-replicas.pg-spec.ts).
describe('scheduled status polling (e2e, poller on)', () => {
  let t: TestApp;
  // when the sandbox answered a status request, per invoice
  const checks = new Map<string, number[]>();
  const domainEvents: DomainEvent[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        EPAY_TIMEOUT_MS: '1500',
        POLLER_ENABLED: 'true',
        POLLER_INTERVAL_MS: '100',
        // 1 s, 2 s, then an hour: a payment is due at most twice during a test
        POLLER_BACKOFF_SECONDS: '1,2,3600',
        POLLER_MAX_AGE_HOURS: '1',
        POLLER_BATCH_SIZE: '10',
        POLLER_LEASE_MS: '60000',
      },
      // no callbacks: only the poller may settle anything here
      sandboxOptions: {
        postLink: { dropRate: 1 },
        logger: (line) => {
          const m = /^GET \/check-status\/payment\/transaction\/(\d+) /.exec(line);
          if (m) checks.set(m[1], [...(checks.get(m[1]) ?? []), Date.now()]);
        },
      },
    });
    t.app.get(DomainEvents).register({ record: async (_m, e) => void domainEvents.push(e) });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    t.sandbox.control.clearFaults();
    t.sandbox.control.setCaptureMode('CHARGE');
  });

  const get = async (id: string) => (await api(t).get(`/v1/payments/${id}`).expect(200)).body;
  const row = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT status, check_attempts, next_check_at, last_checked_at, lease_until, needs_attention, attention_reason FROM payments WHERE id = $1`,
        [id],
      )
    )[0];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const checksOf = (invoiceId: string) => checks.get(invoiceId) ?? [];

  async function unknownPayment(fault: 'http502' | 'commit-then-500') {
    t.sandbox.control.addFault({ path: 'cryptopay', type: fault });
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
      .expect(201);
    expect(res.body.status).toBe('unknown');
    return { ...(res.body as { id: string; invoiceId: string }), at: Date.now() };
  }

  it('settles a payment nobody asks about: unknown → charged by the poller', async () => {
    const p = await unknownPayment('commit-then-500');
    const settled = await waitFor(async () => {
      const b = await get(p.id);
      return b.status === 'charged' && b;
    }, 5000);
    expect(settled.capturedAmount).toBe(10050);
    const [event] = await t.dataSource.query(
      `SELECT source, reason FROM payment_events WHERE payment_id = $1 AND to_status = 'charged'`,
      [p.id],
    );
    expect(event).toEqual({ source: 'poller', reason: 'status check: CHARGE' });
    expect(checksOf(p.invoiceId)).toHaveLength(1);
    // nothing left to poll
    expect((await row(p.id)).next_check_at).toBeNull();
  });

  it('backs off per payment (1 s, 2 s, then an hour) while the bank knows nothing', async () => {
    const p = await unknownPayment('http502');
    await waitFor(async () => checksOf(p.invoiceId).length >= 2, 6000);
    await sleep(1500);
    const seen = checksOf(p.invoiceId);
    expect(seen).toHaveLength(2);
    // due 1 s after it became unknown, then 2 s after that check (poll interval 100 ms)
    expect(seen[0] - p.at).toBeGreaterThanOrEqual(900);
    expect(seen[0] - p.at).toBeLessThan(2500);
    expect(seen[1] - seen[0]).toBeGreaterThanOrEqual(1900);
    expect(seen[1] - seen[0]).toBeLessThan(3500);
    const r = await row(p.id);
    expect(r).toMatchObject({ status: 'unknown', check_attempts: 2, lease_until: null, needs_attention: false });
    const nextInSeconds = (new Date(r.next_check_at).getTime() - new Date(r.last_checked_at).getTime()) / 1000;
    expect(nextInSeconds).toBeCloseTo(3600, 0);
  });

  it('flags a payment still in flight past the age limit, once, and stops polling it', async () => {
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.threeDsAny }))
      .expect(201);
    expect(res.body.status).toBe('requires_3ds');
    // the customer never came back from the ACS; the bank still says NEW two hours later
    await t.dataSource.query(
      `UPDATE payments SET created_at = now() - interval '2 hours', next_check_at = now() WHERE id = $1`,
      [res.body.id],
    );
    const flagged = await waitFor(async () => {
      const r = await row(res.body.id);
      return r.needs_attention && r;
    }, 5000);
    expect(flagged).toMatchObject({
      status: 'requires_3ds',
      next_check_at: null,
      lease_until: null,
      check_attempts: 1,
    });
    expect(flagged.attention_reason).toBe('still requires_3ds after 1 status checks and the 1 h age limit');
    const events = await t.dataSource.query(
      `SELECT from_status, to_status, source, reason FROM payment_events WHERE payment_id = $1 AND reason LIKE 'needs attention%'`,
      [res.body.id],
    );
    expect(events).toEqual([
      {
        from_status: 'requires_3ds',
        to_status: 'requires_3ds',
        source: 'poller',
        reason: `needs attention: ${flagged.attention_reason}`,
      },
    ]);
    expect(domainEvents.filter((e) => e.aggregateId === res.body.id)).toEqual([
      expect.objectContaining({
        type: 'payment.needs_attention',
        aggregateType: 'payment',
        data: expect.objectContaining({ status: 'requires_3ds', needsAttention: true }),
      }),
    ]);
    const asked = checksOf(res.body.invoiceId).length;
    await sleep(1200);
    expect(checksOf(res.body.invoiceId)).toHaveLength(asked);
  });

  it('leaves an authorisation alone during its hold, and cancels it once the bank reports CANCEL_OLD', async () => {
    t.sandbox.control.setCaptureMode('AUTH');
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
      .expect(201);
    expect(res.body.status).toBe('authorized');
    const r = await row(res.body.id);
    expect(new Date(r.next_check_at).getTime() - Date.now()).toBeGreaterThan(167 * 3_600_000);
    await sleep(500);
    expect(checksOf(res.body.invoiceId)).toHaveLength(0);
    // the hold lapses
    t.sandbox.control.expireAuth(res.body.invoiceId);
    await t.dataSource.query(`UPDATE payments SET next_check_at = now() WHERE id = $1`, [res.body.id]);
    await waitFor(async () => (await get(res.body.id)).status === 'cancelled', 5000);
    expect(checksOf(res.body.invoiceId)).toHaveLength(1);
  });

  it("does not touch a payment under another replica's live lease, and takes it over once the lease expires", async () => {
    const p = await unknownPayment('commit-then-500');
    await t.dataSource.query(
      `UPDATE payments SET lease_until = now() + interval '1 hour', next_check_at = now() WHERE id = $1`,
      [p.id],
    );
    await sleep(1500);
    expect(checksOf(p.invoiceId)).toHaveLength(0);
    expect((await get(p.id)).status).toBe('unknown');
    // that replica crashed: its lease runs out
    await t.dataSource.query(`UPDATE payments SET lease_until = now() - interval '1 second' WHERE id = $1`, [p.id]);
    await waitFor(async () => (await get(p.id)).status === 'charged', 5000);
    expect(checksOf(p.invoiceId)).toHaveLength(1);
  });

  it('keeps going when the bank fails: errors are counted and the payment backs off', async () => {
    t.sandbox.control.addFault({ path: 'check-status', type: 'http500', times: -1 });
    const p = await unknownPayment('commit-then-500');
    const r = await waitFor(async () => {
      const x = await row(p.id);
      return x.check_attempts >= 1 && x;
    }, 5000);
    expect(r).toMatchObject({ status: 'unknown', lease_until: null });
    t.sandbox.control.clearFaults();
    // next due 2 s after the failed check
    await waitFor(async () => (await get(p.id)).status === 'charged', 5000);
  });

  it('logs one summary line per run with work done and exports checked/changed/errors/lag metrics', async () => {
    type Line = { checked: number; changed: number; errors: number; lagSeconds: Record<string, number> };
    const summaries = (): Line[] =>
      t
        .readLogs()
        .split('\n')
        .filter((l) => l.includes('"msg":"reconciliation run"'))
        .map((l) => JSON.parse(l) as Line);
    // the log file is written asynchronously
    const lines = await waitFor(async () => {
      const all = summaries();
      return all.reduce((n, l) => n + l.changed, 0) >= 4 && all;
    }, 3000);
    expect(lines.reduce((n, l) => n + l.errors, 0)).toBeGreaterThanOrEqual(1);
    expect(lines[0].lagSeconds).toHaveProperty('payments');
    const metrics = (await request(t.url).get('/metrics').expect(200)).text;
    const value = (name: string) =>
      Number(new RegExp(`^${name}\\{queue="payments"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(value('reconciliation_checked_total')).toBeGreaterThanOrEqual(8);
    expect(value('reconciliation_changed_total')).toBeGreaterThanOrEqual(4);
    expect(value('reconciliation_errors_total')).toBeGreaterThanOrEqual(1);
    expect(value('reconciliation_lag_seconds')).toBeGreaterThanOrEqual(0);
  });
});
