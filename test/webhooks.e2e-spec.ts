import request from 'supertest';
import { PostLinkConfirmerService } from '../src/modules/webhooks/post-link-confirmer.service';
import { ReconciliationPollerService } from '../src/modules/status/reconciliation-poller.service';
import type { PostLinkDelivery } from '../src/sandbox';
import { api } from './setup/api';
import { CARDS, findCardData, paymentBody } from './setup/fixtures';
import { unknownButCharged as chargedButUnknown } from './setup/payments';
import { startTestApp, TestApp } from './setup/test-app';

interface CallbackRow {
  id: string;
  payment_id: string | null;
  kind: string;
  verdict: string;
  reason: string | null;
  body: Record<string, unknown> | null;
  content_type: string | null;
  processed_at: Date | null;
  outcome: string | null;
}

describe('ePay postLink webhooks (e2e, sandbox delivers over HTTP)', () => {
  let t: TestApp;
  // status requests per invoice, read from the sandbox's request log
  const statusChecks = new Map<string, number>();

  beforeAll(async () => {
    t = await startTestApp({
      env: { EPAY_TIMEOUT_MS: '1500', POSTLINK_RECHECK_AFTER_MS: '0' },
      sandboxOptions: {
        logger: (line) => {
          const m = /^GET \/check-status\/payment\/transaction\/(\d+) /.exec(line);
          if (m) statusChecks.set(m[1], (statusChecks.get(m[1]) ?? 0) + 1);
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(async () => {
    await t.sandbox.control.flushPostLinks();
    await confirmer().whenIdle();
    t.sandbox.control.clearFaults();
    t.sandbox.control.setLatency(0);
    t.sandbox.control.setPostLink({ delayMs: 0, duplicates: 0, dropRate: 0 });
  });

  const confirmer = () => t.app.get(PostLinkConfirmerService);
  const poller = () => t.app.get(ReconciliationPollerService);
  const callbacks = (paymentId: string): Promise<CallbackRow[]> =>
    t.dataSource.query(`SELECT * FROM postlink_callbacks WHERE payment_id = $1 ORDER BY received_at, id`, [paymentId]);
  const events = (
    paymentId: string,
  ): Promise<{ to_status: string; source: string; reason: string; data: Record<string, unknown> | null }[]> =>
    t.dataSource.query(
      `SELECT to_status, source, reason, data FROM payment_events WHERE payment_id = $1 ORDER BY created_at`,
      [paymentId],
    );
  const deliveriesFor = (invoiceId: string): PostLinkDelivery[] =>
    t.sandbox.control.getDeliveries().filter((d) => d.invoiceId === invoiceId);
  const settle = async () => {
    await t.sandbox.control.flushPostLinks();
    await confirmer().whenIdle();
  };

  const unknownButCharged = () => chargedButUnknown(t);

  // The body and URL ePay used for a payment, so a test can replay or tamper with it.
  async function deliveredCallback(invoiceId: string): Promise<PostLinkDelivery> {
    await t.sandbox.control.flushPostLinks();
    const d = deliveriesFor(invoiceId)[0];
    expect(d).toBeDefined();
    return d;
  }

  const post = (url: string, body: unknown, contentType = 'application/json') => {
    const u = new URL(url);
    return request(t.url)
      .post(`${u.pathname}${u.search}`)
      .set('Content-Type', contentType)
      .send(typeof body === 'string' ? body : JSON.stringify(body));
  };

  it('a callback for a payment we only know as unknown is confirmed by a status check (source postLink)', async () => {
    t.sandbox.control.setPostLink({ delayMs: 300 });
    const p = await unknownButCharged();
    await settle();
    const rows = await callbacks(p.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'success',
      verdict: 'accepted',
      content_type: expect.stringMatching(/application\/json/),
    });
    expect(rows[0].processed_at).not.toBeNull();
    expect(rows[0].outcome).toBe('status check: now charged');
    // stored raw but redacted: the secret ePay echoes is not kept
    expect(rows[0].body).toMatchObject({
      code: 'ok',
      invoiceId: p.invoiceId,
      amount: 100.5,
      secret_hash: '[REDACTED]',
    });

    const payment = await api(t).get(`/v1/payments/${p.id}`).expect(200);
    expect(payment.body).toMatchObject({ status: 'charged', capturedAmount: 10050 });
    const change = (await events(p.id)).find((e) => e.to_status === 'charged')!;
    expect(change).toMatchObject({
      source: 'postLink',
      reason: 'status check: CHARGE',
      data: { postLinkCallbackId: rows[0].id },
    });
    expect(statusChecks.get(p.invoiceId)).toBe(1);
  });

  it("answers at once and confirms afterwards, without holding ePay's request open", async () => {
    t.sandbox.control.setPostLink({ dropRate: 1 });
    const p = await unknownButCharged();
    const d = await deliveredCallback(p.invoiceId);
    expect(d.dropped).toBe(true);
    t.sandbox.control.setLatency(1200);
    const started = Date.now();
    await post(d.url, d.body).expect(200, { received: true });
    const answeredIn = Date.now() - started;
    // before the bank's status answer (1.2 s; our timeout 1.5 s) could have come back
    expect(answeredIn).toBeLessThan(1000);
    const [row] = await callbacks(p.id);
    expect(row).toMatchObject({ verdict: 'accepted', processed_at: null });
    await confirmer().whenIdle();
    expect((await api(t).get(`/v1/payments/${p.id}`)).body.status).toBe('charged');
    expect((await callbacks(p.id))[0].processed_at).not.toBeNull();
  });

  it('duplicates are stored and processed once: one status check for three deliveries', async () => {
    t.sandbox.control.setPostLink({ delayMs: 300, duplicates: 2 });
    const p = await unknownButCharged();
    await settle();
    expect(deliveriesFor(p.invoiceId).map((d) => d.status)).toEqual([200, 200, 200]);
    const rows = await callbacks(p.id);
    expect(rows.map((r) => r.verdict).sort()).toEqual(['accepted', 'duplicate', 'duplicate']);
    expect(statusChecks.get(p.invoiceId)).toBe(1);
    // the same callback on the failure URL is the same outcome: still a duplicate
    const d = deliveriesFor(p.invoiceId)[0];
    await post(d.url.replace('/post-link?', '/failure-post-link?'), d.body).expect(200);
    await settle();
    expect((await callbacks(p.id)).filter((r) => r.verdict === 'duplicate')).toHaveLength(3);
    expect(statusChecks.get(p.invoiceId)).toBe(1);
  });

  it('a dropped callback loses nothing: the payment stays in flight and the poller settles it', async () => {
    t.sandbox.control.setPostLink({ dropRate: 1 });
    const p = await unknownButCharged();
    await settle();
    expect(deliveriesFor(p.invoiceId)).toEqual([expect.objectContaining({ dropped: true })]);
    expect(await callbacks(p.id)).toEqual([]);
    await t.dataSource.query(`UPDATE payments SET next_check_at = now() WHERE id = $1`, [p.id]);
    const run = await poller().runOnce();
    expect(run.changed).toBeGreaterThanOrEqual(1);
    const payment = (await api(t).get(`/v1/payments/${p.id}`).expect(200)).body;
    expect(payment.status).toBe('charged');
    expect((await events(p.id)).at(-1)).toMatchObject({ to_status: 'charged', source: 'poller' });
  });

  it('a delayed callback after the status is known changes nothing and asks the bank nothing', async () => {
    t.sandbox.control.setPostLink({ delayMs: 400 });
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
      .expect(201);
    expect(res.body.status).toBe('charged');
    await settle();
    const rows = await callbacks(res.body.id);
    expect(rows).toEqual([
      expect.objectContaining({ verdict: 'accepted', outcome: 'payment already charged; nothing to confirm' }),
    ]);
    expect(statusChecks.get(res.body.invoiceId)).toBeUndefined();
  });

  it('if confirming fails (the bank errors), the callback is kept and the payment is due for the poller at once', async () => {
    t.sandbox.control.setPostLink({ delayMs: 300 });
    const p = await unknownButCharged();
    // every try of the (retried) status read fails
    t.sandbox.control.addFault({ path: 'check-status', type: 'http500', times: 3 });
    await settle();
    const [row] = await callbacks(p.id);
    expect(row).toMatchObject({
      verdict: 'accepted',
      outcome: expect.stringMatching(/status check failed.*left to the poller/),
    });
    const [{ due }] = await t.dataSource.query(
      `SELECT next_check_at <= now() AS due, status FROM payments WHERE id = $1`,
      [p.id],
    );
    expect(due).toBe(true);
    expect((await poller().runOnce()).changed).toBeGreaterThanOrEqual(1);
    expect((await api(t).get(`/v1/payments/${p.id}`)).body.status).toBe('charged');
  });

  it('a decline arrives on failurePostLink and is confirmed as failed with the bank code', async () => {
    t.sandbox.control.setPostLink({ delayMs: 300 });
    t.sandbox.control.addFault({ path: 'cryptopay', type: 'commit-then-500' });
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.insufficientFunds }))
      .expect(201);
    expect(res.body.status).toBe('unknown');
    await settle();
    const [row] = await callbacks(res.body.id);
    expect(row).toMatchObject({ kind: 'failure', verdict: 'accepted', outcome: 'status check: now failed' });
    expect(row.body).toMatchObject({ code: 'error', reasonCode: 484 });
    const payment = (await api(t).get(`/v1/payments/${res.body.id}`)).body;
    expect(payment).toMatchObject({ status: 'failed', failure: { code: 'epay_484' } });
  });

  it('late and out-of-order callbacks never move a final or settled payment backwards', async () => {
    // a declined payment, then ePay "re-delivers" a success for it: the bank is asked, says FAILED, nothing moves
    const declined = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.insufficientFunds }))
      .expect(201);
    expect(declined.body.status).toBe('failed');
    const fail = await deliveredCallback(declined.body.invoiceId);
    const forgedSuccess = { ...fail.body, code: 'ok', reason: 'success', reasonCode: 0 };
    await post(fail.url.replace('/failure-post-link?', '/post-link?'), forgedSuccess).expect(200);
    await settle();
    expect((await api(t).get(`/v1/payments/${declined.body.id}`)).body).toMatchObject({
      status: 'failed',
      needsAttention: false,
    });

    // a charged payment gets its callbacks again, newest first, plus a stale failure: nothing changes
    const charged = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
      .expect(201);
    const ok = await deliveredCallback(charged.body.invoiceId);
    await t.sandbox.control.deliverOutOfOrder(charged.body.invoiceId);
    await post(ok.url.replace('/post-link?', '/failure-post-link?'), {
      ...ok.body,
      code: 'error',
      reason: 'late',
      reasonCode: 462,
    }).expect(200);
    await settle();
    const rows = await callbacks(charged.body.id);
    expect(rows.map((r) => r.verdict)).toEqual(['accepted', 'duplicate', 'accepted']);
    expect(rows[2].outcome).toBe('payment already charged; nothing to confirm');
    expect((await api(t).get(`/v1/payments/${charged.body.id}`)).body.status).toBe('charged');
    expect((await events(charged.body.id)).map((e) => e.to_status)).toEqual(['created', 'charged']);
  });

  describe('forged and garbled callbacks are stored, rejected, and answered 200 like any other', () => {
    let target: { id: string; invoiceId: string };
    let genuine: PostLinkDelivery;
    beforeAll(async () => {
      t.sandbox.control.setPostLink({ dropRate: 1 });
      target = await unknownButCharged();
      genuine = await deliveredCallback(target.invoiceId);
      t.sandbox.control.setPostLink({ dropRate: 0 });
    });

    const withQuery = (url: string, q: Record<string, string>) => {
      const u = new URL(url);
      for (const [k, v] of Object.entries(q)) u.searchParams.set(k, v);
      return u.toString();
    };

    it.each([
      ['wrong token', 'rejected_token', () => [withQuery(genuine.url, { token: 'x'.repeat(32) }), genuine.body]],
      ['no token', 'rejected_token', () => [genuine.url.replace(/&token=[^&]*/, ''), genuine.body]],
    ] as [string, string, () => [string, Record<string, unknown>]][])(
      '%s → %s, and the bank is not asked',
      async (_name, verdict, build) => {
        const before = statusChecks.get(target.invoiceId) ?? 0;
        const [url, body] = build();
        await post(url, body).expect(200, { received: true });
        await settle();
        const last = (await callbacks(target.id)).at(-1)!;
        expect(last).toMatchObject({ verdict, processed_at: expect.any(Date), outcome: 'not acted on' });
        expect(statusChecks.get(target.invoiceId) ?? 0).toBe(before);
        expect((await api(t).get(`/v1/payments/${target.id}`)).body.status).toBe('unknown');
      },
    );

    // On the payment's own URL a callback is a hint whatever it says: it is recorded with what it
    // looked like, and a status check (the bank's truth) settles the payment.
    it.each([
      ['wrong secret_hash', 'suspicious_secret', (d: PostLinkDelivery) => ({ ...d.body, secret_hash: 'guessed' })],
      ['no secret_hash (seed 001)', 'accepted', (d: PostLinkDelivery) => ({ ...d.body, secret_hash: undefined })],
      ['amount mismatch', 'mismatch', (d: PostLinkDelivery) => ({ ...d.body, amount: 1.5 })],
      ['currency mismatch', 'mismatch', (d: PostLinkDelivery) => ({ ...d.body, currency: 'USD' })],
      ['invoice mismatch', 'mismatch', (d: PostLinkDelivery) => ({ ...d.body, invoiceId: '999999999' })],
    ] as [string, string, (d: PostLinkDelivery) => Record<string, unknown>][])(
      '%s → %s, and a status check settles the payment',
      async (_name, verdict, build) => {
        t.sandbox.control.setPostLink({ dropRate: 1 });
        const p = await unknownButCharged();
        const d = await deliveredCallback(p.invoiceId);
        t.sandbox.control.setPostLink({ dropRate: 0 });
        await post(d.url, build(d)).expect(200, { received: true });
        await settle();
        const [row] = await callbacks(p.id);
        expect(row).toMatchObject({ verdict, processed_at: expect.any(Date), outcome: 'status check: now charged' });
        expect(statusChecks.get(p.invoiceId)).toBe(1);
        expect((await api(t).get(`/v1/payments/${p.id}`)).body.status).toBe('charged');
      },
    );

    it('a callback naming no payment of ours is stored without a payment', async () => {
      const url = withQuery(genuine.url, { pid: '00000000-0000-4000-8000-000000000000' });
      await post(url, genuine.body).expect(200, { received: true });
      await post(withQuery(genuine.url, { pid: 'not-a-uuid' }), genuine.body).expect(200);
      const rows: CallbackRow[] = await t.dataSource.query(
        `SELECT * FROM postlink_callbacks WHERE payment_id IS NULL AND verdict = 'unknown_payment'`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(2);
    });

    it('an unreadable body is stored as malformed (size only)', async () => {
      await post(genuine.url, 'this is not a callback', 'text/plain').expect(200);
      const last = (await callbacks(target.id)).at(-1)!;
      expect(last).toMatchObject({
        verdict: 'malformed',
        body: { unreadable: 'body is neither JSON nor a form', bytes: 22 },
      });
    });

    it('the genuine callback is accepted under any content type: text/plain JSON and a form body', async () => {
      await post(genuine.url, JSON.stringify(genuine.body), 'text/plain').expect(200);
      await settle();
      expect((await api(t).get(`/v1/payments/${target.id}`)).body.status).toBe('charged');
      const form = new URLSearchParams(
        Object.entries(genuine.body).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString();
      await post(genuine.url, form, 'application/x-www-form-urlencoded').expect(200);
      // JSON under a form Content-Type is still read as JSON
      await post(genuine.url, JSON.stringify(genuine.body), 'application/x-www-form-urlencoded').expect(200);
      await post(genuine.url, JSON.stringify(genuine.body), 'application/octet-stream').expect(200);
      await settle();
      const rows = await callbacks(target.id);
      const tail = rows.slice(-4);
      expect(tail.map((r) => r.verdict)).toEqual(['accepted', 'duplicate', 'duplicate', 'duplicate']);
      expect(tail[1].content_type).toMatch(/x-www-form-urlencoded/);
      expect(tail[1].body).toMatchObject({ amount: '100.5', secret_hash: '[REDACTED]' });
    });

    it('keeps no secrets or card data: the secret_hash nowhere, the URL token not in callbacks or logs', async () => {
      const secret = String(genuine.body.secret_hash);
      const token = new URL(genuine.url).searchParams.get('token')!;
      expect(secret.length).toBeGreaterThan(10);
      const dump = await t.dumpDatabase();
      const logs = t.readLogs();
      expect(dump).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(logs).not.toContain(token);
      const stored = JSON.stringify(await t.dataSource.query(`SELECT * FROM postlink_callbacks`));
      expect(stored).toContain('[REDACTED]');
      expect(stored).not.toContain(token);
      expect(findCardData(dump)).toEqual([]);
      expect(findCardData(logs)).toEqual([]);
    });
  });

  it('counts callbacks by verdict in the metrics', async () => {
    const text = (await request(t.url).get('/metrics').expect(200)).text;
    expect(text).toMatch(/postlink_callbacks_total\{kind="success",verdict="accepted"\} \d+/);
    expect(text).toMatch(/postlink_callbacks_total\{kind="success",verdict="rejected_token"\} 2/);
  });

  it('answers 5xx only when the callback could not be stored, so that ePay delivers it again', async () => {
    t.sandbox.control.setPostLink({ dropRate: 1 });
    const p = await unknownButCharged();
    const d = await deliveredCallback(p.invoiceId);
    await t.dataSource.query(`ALTER TABLE postlink_callbacks RENAME TO postlink_callbacks_away`);
    try {
      const res = await post(d.url, d.body);
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await t.dataSource.query(`ALTER TABLE postlink_callbacks_away RENAME TO postlink_callbacks`);
    }
    expect(await callbacks(p.id)).toEqual([]);
    expect((await api(t).get(`/v1/payments/${p.id}`)).body.status).toBe('unknown');
    // ePay's next attempt gets through
    await post(d.url, d.body).expect(200);
    await settle();
    expect((await api(t).get(`/v1/payments/${p.id}`)).body.status).toBe('charged');
  });
});
