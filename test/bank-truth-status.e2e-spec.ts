import request from 'supertest';
import { PostLinkConfirmerService } from '../src/modules/webhooks/post-link-confirmer.service';
import { PaymentStatusChecker } from '../src/modules/payments/payment-status-checker.service';
import type { PostLinkDelivery } from '../src/sandbox';
import { api, waitFor } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { unknownButCharged as chargedButUnknown } from './setup/payments';
import { startTestApp, TestApp } from './setup/test-app';

// Issue 13 items 2 and 5, issue 14's postLink flood and refresh coalescing: against a sandbox that
// behaves like the seeds (postLinks without secret_hash, replies in the seeds' literal text), with
// one status-check coalescing per payment.
describe('bank truth: callbacks and unreadable replies lead to one coalesced status check (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      // the coalescing's interval as in production: one bank check per payment per 5 s
      env: {
        STATUS_CHECK_MIN_INTERVAL_MS: '5000',
        POSTLINK_UNMATCHED_SAMPLE_PER_HOUR: '20',
        POSTLINK_MAX_PER_PAYMENT: '10',
      },
      sandboxOptions: { seedQuirks: { postLinkWithoutSecretHash: true } },
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(async () => {
    await t.sandbox.control.flushPostLinks();
    await t.app.get(PostLinkConfirmerService).whenIdle();
    await t.app.get(PaymentStatusChecker).whenHintsIdle();
    t.sandbox.control.clearFaults();
    t.sandbox.control.setLatency(0);
    t.sandbox.control.setPostLink({ delayMs: 0, duplicates: 0, dropRate: 0 });
  });

  const checks = () => t.sandbox.control.requestCount('check-status');
  const post = (url: string, body: unknown) => {
    const u = new URL(url);
    return request(t.url)
      .post(`${u.pathname}${u.search}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
  };
  const events = (id: string): Promise<{ to_status: string; source: string }[]> =>
    t.dataSource.query(`SELECT to_status, source FROM payment_events WHERE payment_id = $1 ORDER BY created_at`, [id]);

  const unknownButCharged = () => chargedButUnknown(t);

  it('a postLink exactly as seed 001 prints it (no secret_hash) settles the payment through a status check', async () => {
    const p = await unknownButCharged();
    await t.sandbox.control.flushPostLinks();
    const [delivery] = t.sandbox.control.getDeliveries().filter((d) => d.invoiceId === p.invoiceId);
    expect(delivery.body).not.toHaveProperty('secret_hash');
    await t.app.get(PostLinkConfirmerService).whenIdle();
    const payment = await api(t).get(`/v1/payments/${p.id}`).expect(200);
    expect(payment.body.status).toBe('charged');
    expect((await events(p.id)).find((e) => e.to_status === 'charged')?.source).toBe('postLink');
    const [row] = await t.dataSource.query(`SELECT verdict, reason FROM postlink_callbacks WHERE payment_id = $1`, [
      p.id,
    ]);
    expect(row).toEqual({ verdict: 'accepted', reason: 'no secret_hash (as seed 001 prints)' });
  });

  it('100 concurrent ?refresh=true reads make one bank status check and all get its answer', async () => {
    const p = await unknownButCharged();
    t.sandbox.control.setLatency(300);
    const before = checks();
    const reads = await Promise.all(
      Array.from({ length: 100 }, () => api(t).get(`/v1/payments/${p.id}?refresh=true`).expect(200)),
    );
    expect(checks() - before).toBe(1);
    expect(new Set(reads.map((r) => r.body.status))).toEqual(new Set(['charged']));
  });

  it("the reconciliation report's per-payment status checks go through the same coalescing", async () => {
    t.sandbox.control.setPostLink({ dropRate: 1 });
    const from = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 3; i++) await unknownButCharged();
    const to = new Date(Date.now() + 60_000).toISOString();
    t.sandbox.control.addFault({ path: 'operations', type: 'http500', times: -1 });
    const before = checks();
    const [a, b] = await Promise.all([
      api(t, 'admin').get(`/v1/admin/reconciliation?from=${from}&to=${to}`).expect(200),
      api(t, 'admin').get(`/v1/admin/reconciliation?from=${from}&to=${to}`).expect(200),
    ]);
    expect(a.body).toMatchObject({ source: 'status_checks', complete: true, counts: { ourPayments: 3 } });
    expect(b.body.counts).toEqual(a.body.counts);
    // two reports over three payments: one bank check per payment
    expect(checks() - before).toBe(3);
  });

  it('a flood of callbacks for unknown or forged URLs is counted, and only a bounded sample is stored', async () => {
    const p = await unknownButCharged();
    await t.sandbox.control.flushPostLinks();
    const [genuine]: PostLinkDelivery[] = t.sandbox.control.getDeliveries().filter((d) => d.invoiceId === p.invoiceId);
    const big = { ...genuine.body, filler: 'x'.repeat(60_000) };
    await t.app.get(PostLinkConfirmerService).whenIdle();
    const before = checks();
    const N = 300;
    for (let i = 0; i < N; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => {
          const u = new URL(genuine.url);
          if ((i + j) % 2) u.searchParams.set('pid', crypto.randomUUID());
          else u.searchParams.set('token', `forged-${i + j}`);
          return post(u.toString(), big).expect(200, { received: true });
        }),
      );
    }
    const [stored] = await t.dataSource.query(
      `SELECT count(*)::int AS rows, coalesce(sum(octet_length(body::text)), 0)::int AS bytes FROM postlink_callbacks
        WHERE verdict IN ('unknown_payment', 'rejected_token')`,
    );
    // the sample (20 per hour, give or take requests in flight together) and each body capped at 16 KB
    expect(stored.rows).toBeGreaterThanOrEqual(20);
    expect(stored.rows).toBeLessThanOrEqual(20 + 50);
    expect(stored.bytes).toBeLessThan(stored.rows * 16_384);
    const metrics = (await request(t.url).get('/metrics').expect(200)).text;
    const notStored = /postlink_callbacks_not_stored_total\{kind="success",reason="sample_full"\} (\d+)/.exec(metrics);
    expect(Number(notStored?.[1])).toBe(N - stored.rows);
    // nothing forged asks the bank anything
    expect(checks()).toBe(before);
    console.log(`flood of ${N} forged callbacks (60 KB each): ${stored.rows} rows, ${stored.bytes} bytes stored`);
  });

  it("callbacks on a payment's own URL: bodies capped, at most POSTLINK_MAX_PER_PAYMENT stored, status checks coalesced", async () => {
    t.sandbox.control.setPostLink({ dropRate: 1 });
    const p = await unknownButCharged();
    await t.sandbox.control.flushPostLinks();
    const [genuine] = t.sandbox.control.getDeliveries().filter((d) => d.invoiceId === p.invoiceId);
    t.sandbox.control.setLatency(200);
    const before = checks();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(genuine.url, { ...genuine.body, id: `txn-${i}`, filler: 'y'.repeat(40_000) }).expect(200),
      ),
    );
    await t.app.get(PostLinkConfirmerService).whenIdle();
    await t.app.get(PaymentStatusChecker).whenHintsIdle();
    const rows: { body: Record<string, unknown> }[] = await t.dataSource.query(
      `SELECT body FROM postlink_callbacks WHERE payment_id = $1`,
      [p.id],
    );
    expect(rows.length).toBe(10);
    expect(rows[0].body).toMatchObject({ truncated: true, bytes: expect.any(Number) });
    // 40 distinct callbacks, one status check per 5 s interval (plus at most one trailing check)
    expect(checks() - before).toBeLessThanOrEqual(2);
    expect((await api(t).get(`/v1/payments/${p.id}`)).body.status).toBe('charged');
  });
});

// Seed 002 prints its success reply with `"secure3D":no` (not JSON): the payment is unknown for an
// instant, then settled by a status check asked at once in the background.
describe('bank truth: an unreadable payment reply is settled by a status check at once (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ sandboxOptions: { seedQuirks: { literalReplies: true } } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the next read is settled without refresh or poller', async () => {
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
      .expect(201);
    expect(res.body).toMatchObject({ status: 'unknown', failure: { code: 'GATEWAY_MALFORMED_RESPONSE' } });
    const settled = await waitFor(async () => {
      const r = await api(t).get(`/v1/payments/${res.body.id}`).expect(200);
      return r.body.status === 'charged' ? r.body : undefined;
    }, 3000);
    expect(settled).toMatchObject({ status: 'charged', capturedAmount: 10050 });
    expect(t.sandbox.control.requestCount('cryptopay')).toBe(1);
  });
});
