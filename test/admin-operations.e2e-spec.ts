import { randomUUID } from 'node:crypto';
import { PaymentOperationsReconciliationQueue } from '../src/modules/admin/payment-operations-reconciliation.queue';
import { api } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

describe('admin charge / cancel / sync on a two-step (AUTH) terminal (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { EPAY_TIMEOUT_MS: '1500', POLLER_BACKOFF_SECONDS: '1' } });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    t.sandbox.control.setCaptureMode('AUTH');
  });
  afterEach(() => {
    t.sandbox.control.clearFaults();
  });

  const admin = () => api(t, 'admin');
  const post = (
    paymentId: string,
    op: 'charge' | 'cancel' | 'refund',
    body: Record<string, unknown>,
    key: string | null = randomUUID(),
  ) => admin().post(`/v1/admin/payments/${paymentId}/${op}`, body, key ? { 'Idempotency-Key': key } : {});

  async function authorized(amount = 10000): Promise<{ id: string; invoiceId: string; epayTransactionId: string }> {
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ amount, card: CARDS.approveAny }))
      .expect(201);
    expect(res.body).toMatchObject({ status: 'authorized', capturedAmount: 0 });
    return res.body;
  }
  const bankTxn = (invoiceId: string) => t.sandbox.control.getTransaction(invoiceId)!;

  it('partially charges an authorisation, then refunds the charged part', async () => {
    const p = await authorized(10000);
    const res = await post(p.id, 'charge', { amount: 6000, reason: 'one item out of stock' }).expect(201);
    expect(res.body).toMatchObject({
      kind: 'charge',
      amount: 6000,
      status: 'succeeded',
      reason: 'one item out of stock',
      failure: null,
      payment: { id: p.id, status: 'charged', amount: 10000, capturedAmount: 6000 },
    });
    expect(bankTxn(p.invoiceId)).toMatchObject({ statusName: 'CHARGE', amount: 60 });

    // only what was charged can be refunded
    await post(p.id, 'refund', { amount: 6001, reason: 'more than charged' }).expect(422);
    const refund = await post(p.id, 'refund', { reason: 'all of it' }).expect(201);
    expect(refund.body).toMatchObject({
      amount: 6000,
      status: 'succeeded',
      payment: { status: 'refunded', refundedAmount: 6000, capturedAmount: 6000 },
    });
    expect(bankTxn(p.invoiceId).statusName).toBe('REFUND');

    const events: { to_status: string; source: string; actor: string | null; reason: string }[] =
      await t.dataSource.query(
        `SELECT to_status, source, actor, reason FROM payment_events WHERE payment_id = $1 ORDER BY created_at`,
        [p.id],
      );
    expect(events.map((e) => e.to_status)).toEqual([
      'created',
      'authorized',
      'authorized',
      'charged',
      'charged',
      'refunded',
    ]);
    const charge = events[3];
    expect(charge).toMatchObject({ source: 'admin', actor: expect.any(String) });
    expect(charge.reason).toContain('one item out of stock');
  });

  it('charges the whole authorisation when no amount is given', async () => {
    const p = await authorized(7500);
    const res = await post(p.id, 'charge', {}).expect(201);
    expect(res.body).toMatchObject({
      amount: 7500,
      status: 'succeeded',
      reason: null,
      payment: { status: 'charged', capturedAmount: 7500 },
    });
  });

  it('cancels an authorisation', async () => {
    const p = await authorized();
    const res = await post(p.id, 'cancel', { reason: 'customer changed their mind' }).expect(201);
    expect(res.body).toMatchObject({
      kind: 'cancel',
      amount: null,
      status: 'succeeded',
      payment: { status: 'cancelled', capturedAmount: 0 },
    });
    expect(bankTxn(p.invoiceId).statusName).toBe('CANCEL');
    const again = await post(p.id, 'charge', {}).expect(409);
    expect(again.body.error).toMatchObject({ code: 'OPERATION_NOT_ALLOWED', details: { status: 'cancelled' } });
  });

  it('refuses what a two-step authorisation does not allow, naming the field', async () => {
    t.sandbox.control.setCaptureMode('CHARGE');
    const charged = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
      .expect(201);
    const before = t.sandbox.control.requestCount('charge') + t.sandbox.control.requestCount('cancel');
    await post(charged.body.id, 'charge', {}).expect(409);
    await post(charged.body.id, 'cancel', { reason: 'already charged' }).expect(409);
    t.sandbox.control.setCaptureMode('AUTH');
    const p = await authorized(5000);
    const over = await post(p.id, 'charge', { amount: 5001 }).expect(400);
    expect(over.body.error.details).toEqual([
      { field: 'amount', message: 'must not exceed the authorised amount (5000)' },
    ]);
    const noReason = await post(p.id, 'cancel', {}).expect(400);
    expect(noReason.body.error.details[0].field).toBe('reason');
    const noKey = await post(p.id, 'cancel', { reason: 'no key' }, null).expect(400);
    expect(noKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(t.sandbox.control.requestCount('charge') + t.sandbox.control.requestCount('cancel')).toBe(before);
  });

  it('a refusal by the bank fails the operation, nothing is charged, and a sync shows why', async () => {
    const p = await authorized();
    t.sandbox.control.expireAuth(p.invoiceId);
    const res = await post(p.id, 'charge', { reason: 'too late' }).expect(201);
    // nothing charged; the payment row is only moved by a status check (this sync, or the postLink
    // confirmation that may have run already)
    expect(res.body).toMatchObject({ status: 'failed', failure: { code: 'epay_100' }, payment: { capturedAmount: 0 } });
    expect(['authorized', 'cancelled']).toContain(res.body.payment.status);
    const sync = await admin()
      .post(`/v1/admin/payments/${p.id}/sync`, { reason: 'why did the charge fail?' })
      .expect(200);
    expect(sync.body).toMatchObject({ outcome: 'applied', payment: { status: 'cancelled', capturedAmount: 0 } });
    const [note] = await t.dataSource.query(
      `SELECT reason, actor FROM payment_events WHERE payment_id = $1 AND reason LIKE 'sync.requested%'`,
      [p.id],
    );
    expect(note.reason).toBe('sync.requested: why did the charge fail?');
  });

  describe('a lost reply leaves the payment authorized (funds held, nothing charged twice) until the bank tells', () => {
    it('commit-then-500: the bank charged; the immediate status check settles it', async () => {
      const p = await authorized(10000);
      t.sandbox.control.addFault({ path: 'charge', type: 'commit-then-500' });
      const res = await post(p.id, 'charge', { amount: 4000, reason: 'lost reply' }).expect(201);
      expect(res.body).toMatchObject({ status: 'succeeded', payment: { status: 'charged', capturedAmount: 4000 } });
      expect(t.sandbox.control.requestCount('charge')).toBeGreaterThan(0);
    });

    it('http500 without processing: unknown, payment still authorized, a second operation waits; settled as failed once the call cannot be in flight', async () => {
      const p = await authorized(10000);
      t.sandbox.control.addFault({ path: 'cancel', type: 'http500' });
      const res = await post(p.id, 'cancel', { reason: 'lost reply' }).expect(201);
      expect(res.body).toMatchObject({
        status: 'unknown',
        failure: { code: 'GATEWAY_UNAVAILABLE' },
        payment: { status: 'authorized' },
      });
      const blocked = await post(p.id, 'charge', {}).expect(409);
      expect(blocked.body.error.details).toMatchObject({ operationId: res.body.id, status: 'unknown' });

      const queue = t.app.get(PaymentOperationsReconciliationQueue);
      await new Promise((r) => setTimeout(r, 1100));
      expect(await queue.claimDue(10, 60_000)).toEqual([res.body.id]);
      // the bank still shows AUTH, but the call may still be in flight: stays open
      expect(await queue.reconcile(res.body.id)).toBe('unchanged');
      // … until it cannot be (created long enough ago)
      await t.dataSource.query(
        `UPDATE payment_operations SET created_at = now() - interval '1 hour', next_check_at = now() WHERE id = $1`,
        [res.body.id],
      );
      expect(await queue.claimDue(10, 60_000)).toEqual([res.body.id]);
      expect(await queue.reconcile(res.body.id)).toBe('changed');
      const [row] = await t.dataSource.query(`SELECT status, failure_message FROM payment_operations WHERE id = $1`, [
        res.body.id,
      ]);
      expect(row).toEqual({
        status: 'failed',
        failure_message: 'the bank still shows the authorisation: not cancelled',
      });
      // and now a charge is allowed again
      await post(p.id, 'charge', { amount: 10000 }).expect(201);
      expect(bankTxn(p.invoiceId).statusName).toBe('CHARGE');
    });

    it('commit-then-timeout on cancel: the status check finds CANCEL', async () => {
      const p = await authorized();
      t.sandbox.control.addFault({ path: 'cancel', type: 'commit-then-timeout' });
      const res = await post(p.id, 'cancel', { reason: 'slow bank' }).expect(201);
      expect(res.body).toMatchObject({ status: 'succeeded', payment: { status: 'cancelled' } });
    });
  });

  it('an idempotent repeat of a charge returns the first answer without a second bank call', async () => {
    const p = await authorized();
    const key = randomUUID();
    const before = t.sandbox.control.requestCount('charge');
    const a = await post(p.id, 'charge', { amount: 3000 }, key).expect(201);
    const b = await post(p.id, 'charge', { amount: 3000 }, key).expect(201);
    expect(b.body).toEqual(a.body);
    expect(t.sandbox.control.requestCount('charge')).toBe(before + 1);
  });
});
