import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { EntityManager } from 'typeorm';
import { DomainEvent, DomainEvents } from '../src/common/events/domain-events.service';
import { RefundsReconciliationQueue } from '../src/modules/admin/refunds-reconciliation.queue';
import { api } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

describe('admin refunds (e2e, over HTTP against the sandbox)', () => {
  let t: TestApp;
  const events: DomainEvent[] = [];

  beforeAll(async () => {
    // a 1 s first re-check so the reconciliation test does not wait 30 s
    t = await startTestApp({ env: { EPAY_TIMEOUT_MS: '1500', POLLER_BACKOFF_SECONDS: '1,1,2' } });
    t.app.get(DomainEvents).register({
      record: async (_m: EntityManager, event: DomainEvent) => {
        events.push(event);
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    t.sandbox.control.clearFaults();
    t.sandbox.control.setCaptureMode('CHARGE');
  });

  const admin = () => api(t, 'admin');
  const refund = (paymentId: string, body: Record<string, unknown>, key: string | null = randomUUID()) =>
    admin().post(`/v1/admin/payments/${paymentId}/refund`, body, key ? { 'Idempotency-Key': key } : {});

  async function chargedPayment(amount = 10000): Promise<{ id: string; invoiceId: string; epayTransactionId: string }> {
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ amount, card: CARDS.approveAny }))
      .expect(201);
    expect(res.body.status).toBe('charged');
    return res.body;
  }
  const bankTxn = (invoiceId: string) => t.sandbox.control.getTransaction(invoiceId)!;

  it('refunds in parts, then the rest; the bank gets our refund id as externalID', async () => {
    const p = await chargedPayment(10000);
    const first = await refund(p.id, { amount: 3000, reason: 'customer returned one item' }).expect(201);
    expect(first.body).toMatchObject({
      paymentId: p.id,
      amount: 3000,
      currency: 'KZT',
      status: 'succeeded',
      reason: 'customer returned one item',
      failure: null,
      bankAttempts: 1,
      payment: { status: 'partially_refunded', capturedAmount: 10000, refundedAmount: 3000, refundable: 7000 },
    });
    expect(first.body.externalId).toBe(first.body.id);

    // the bank still says CHARGE, with less left: a status check confirms the partial refund, no alarm
    const synced = await admin().post(`/v1/admin/payments/${p.id}/sync`, { reason: 'check' }).expect(200);
    expect(JSON.stringify(synced.body)).toContain('partially_refunded');
    const [afterSync] = await t.dataSource.query(
      `SELECT status, refunded_amount::int AS refunded, needs_attention FROM payments WHERE id = $1`,
      [p.id],
    );
    expect(afterSync).toEqual({ status: 'partially_refunded', refunded: 3000, needs_attention: false });

    const second = await refund(p.id, { amount: 2500, reason: 'second item' }).expect(201);
    expect(second.body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 5500, refundable: 4500 });

    // no amount: everything still refundable
    const rest = await refund(p.id, { reason: 'order cancelled' }).expect(201);
    expect(rest.body).toMatchObject({
      amount: 4500,
      status: 'succeeded',
      payment: { status: 'refunded', refundedAmount: 10000, refundable: 0 },
    });

    const tx = bankTxn(p.invoiceId);
    expect(tx.statusName).toBe('REFUND');
    expect(tx.refunds.map((r) => [r.amountMinor, r.externalId])).toEqual([
      [3000, first.body.id],
      [2500, second.body.id],
      [4500, rest.body.id],
    ]);

    const more = await refund(p.id, { amount: 1000, reason: 'too much' }).expect(409);
    expect(more.body.error.code).toBe('OPERATION_NOT_ALLOWED');

    const mine = events.filter(
      (e) => e.aggregateType === 'refund' && [first.body.id, second.body.id, rest.body.id].includes(e.aggregateId),
    );
    expect(mine.map((e) => e.type)).toEqual(['refund.succeeded', 'refund.succeeded', 'refund.succeeded']);
    expect(mine[0].data).toMatchObject({ id: first.body.id, status: 'succeeded', amount: 3000 });
    // operator internals stay out of what the company's webhooks receive
    expect(mine[0].data).not.toHaveProperty('actorApiKeyId');

    // each refund is in the payment's timeline with the key that did it and why
    const rows: { to_status: string; source: string; actor: string; reason: string }[] = await t.dataSource.query(
      `SELECT to_status, source, actor, reason FROM payment_events WHERE payment_id = $1 AND source = 'admin' ORDER BY created_at`,
      [p.id],
    );
    const [{ id: adminKeyId }] = await t.dataSource.query(`SELECT id FROM api_keys WHERE name = 'test admin'`);
    expect(rows.every((r) => r.actor === adminKeyId)).toBe(true);
    // three refunds (requested, settled) and the sync in between, which is an admin action too
    expect(rows.map((r) => r.to_status)).toEqual([
      'charged',
      'partially_refunded',
      'partially_refunded',
      'partially_refunded',
      'partially_refunded',
      'partially_refunded',
      'refunded',
    ]);
    expect(rows.filter((r) => r.reason.startsWith('sync'))).toHaveLength(1);
    expect(rows[0].reason).toBe('refund.requested: customer returned one item');
  });

  it('never refunds more than was charged', async () => {
    const p = await chargedPayment(5000);
    const over = await refund(p.id, { amount: 5001, reason: 'typo' }).expect(422);
    expect(over.body.error).toMatchObject({
      code: 'REFUND_EXCEEDS_CHARGE',
      details: { field: 'amount', refundable: 5000, capturedAmount: 5000 },
    });
    await refund(p.id, { amount: 4000, reason: 'partial' }).expect(201);
    const again = await refund(p.id, { amount: 1001, reason: 'one tiyn too many' }).expect(422);
    expect(again.body.error.details.refundable).toBe(1000);
    expect(bankTxn(p.invoiceId).refunds).toHaveLength(1);
  });

  it('enforces the 10 KZT minimum before anything reaches the bank', async () => {
    const p = await chargedPayment(10500);
    const before = t.sandbox.control.requestCount('refund');
    const small = await refund(p.id, { amount: 999, reason: 'too small' }).expect(400);
    expect(small.body.error.details).toEqual([
      { field: 'amount', message: 'must be at least 1000 minor units (10.00 KZT)' },
    ]);
    await refund(p.id, { amount: 1000, reason: 'smallest allowed' }).expect(201);
    await refund(p.id, { amount: 9000, reason: 'most of it' }).expect(201);
    // 500 tiyn left: below the minimum even as "the rest"
    const rest = await refund(p.id, { reason: 'the rest' }).expect(400);
    expect(rest.body.error.details[0]).toMatchObject({
      field: 'amount',
      message: expect.stringContaining('below the minimum refund of 1000'),
    });
    expect(t.sandbox.control.requestCount('refund')).toBe(before + 2);
  });

  it('validates the request and names the field', async () => {
    const p = await chargedPayment();
    const noReason = await refund(p.id, { amount: 1000 }).expect(400);
    expect(noReason.body.error.details.map((d: { field: string }) => d.field)).toContain('reason');
    const decimal = await refund(p.id, { amount: 10.5, reason: 'decimal' }).expect(400);
    expect(decimal.body.error.details[0].field).toBe('amount');
    const extra = await refund(p.id, { amount: 1000, reason: 'x-field', currency: 'USD' }).expect(400);
    expect(extra.body.error.details[0].field).toBe('currency');
    await admin()
      .post(`/v1/admin/payments/not-a-uuid/refund`, { reason: 'bad id' }, { 'Idempotency-Key': randomUUID() })
      .expect(400);
    const missing = await refund(randomUUID(), { reason: 'nobody' }).expect(404);
    expect(missing.body.error.code).toBe('PAYMENT_NOT_FOUND');
  });

  it('requires an Idempotency-Key; a repeat is answered from the first, never refunded twice', async () => {
    const p = await chargedPayment();
    const none = await refund(p.id, { amount: 1000, reason: 'no key' }, null).expect(400);
    expect(none.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const key = randomUUID();
    const a = await refund(p.id, { amount: 1500, reason: 'double click' }, key).expect(201);
    const b = await refund(p.id, { amount: 1500, reason: 'double click' }, key).expect(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body).toEqual(a.body);
    const different = await refund(p.id, { amount: 2000, reason: 'double click' }, key).expect(422);
    expect(different.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(bankTxn(p.invoiceId).refunds).toHaveLength(1);
  });

  it('refuses payments that are not charged', async () => {
    t.sandbox.control.setCaptureMode('AUTH');
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
      .expect(201);
    expect(res.body.status).toBe('authorized');
    const refused = await refund(res.body.id, { reason: 'not charged yet' }).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'OPERATION_NOT_ALLOWED', details: { status: 'authorized' } });
    const declined = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.insufficientFunds }))
      .expect(201);
    await refund(declined.body.id, { reason: 'failed payment' }).expect(409);
  });

  it('a refusal by the bank fails the refund, frees the amount, and emits refund.failed', async () => {
    const p = await chargedPayment(8000);
    // the bank's record moved on without us (e.g. cancelled in the cabinet): it refuses the refund
    t.sandbox.state.payments.get(p.epayTransactionId)!.statusName = 'CANCEL';
    const res = await refund(p.id, { amount: 3000, reason: 'refused by the bank' }).expect(201);
    expect(res.body).toMatchObject({
      status: 'failed',
      failure: { code: 'epay_100', message: expect.any(String) },
      payment: { status: 'charged', refundedAmount: 0, refundable: 8000 },
    });
    expect(events.find((e) => e.aggregateId === res.body.id)?.type).toBe('refund.failed');
  });

  describe('ambiguous outcomes stay unknown (still counted against the charge) and are reconciled', () => {
    const queue = () => t.app.get(RefundsReconciliationQueue);

    async function reconcileDue(id: string): Promise<void> {
      // the first re-check is 1 s after the lost reply (POLLER_BACKOFF_SECONDS=1,…)
      await new Promise((r) => setTimeout(r, 1100));
      const claimed = await queue().claimDue(50, 60_000);
      expect(claimed).toContain(id);
      for (const claimedId of claimed) await queue().reconcile(claimedId);
    }

    it.each(['commit-then-500', 'commit-then-timeout'] as const)(
      '%s: the bank refunded; the amount drop proves it, no second call',
      async (type) => {
        const p = await chargedPayment(10000);
        t.sandbox.control.addFault({ path: 'refund', type });
        const res = await refund(p.id, { amount: 4000, reason: `lost reply (${type})` }).expect(201);
        expect(res.body).toMatchObject({
          status: 'unknown',
          bankAttempts: 1,
          payment: { status: 'charged', refundedAmount: 0, refundable: 6000 },
        });
        expect(bankTxn(p.invoiceId).refunds).toHaveLength(1);
        // the unknown refund still counts: 6001 would exceed the charge if it went through
        await refund(p.id, { amount: 6001, reason: 'too much while unknown' }).expect(422);

        const refundsBefore = t.sandbox.control.requestCount('refund');
        await reconcileDue(res.body.id);
        const [row] = await t.dataSource.query(
          `SELECT status, bank_attempts, next_check_at FROM refunds WHERE id = $1`,
          [res.body.id],
        );
        expect(row).toMatchObject({ status: 'succeeded', bank_attempts: 1, next_check_at: null });
        expect(t.sandbox.control.requestCount('refund')).toBe(refundsBefore);
        const payment = await admin().get(`/v1/admin/payments/${p.id}`).expect(200);
        expect(payment.body.payment).toMatchObject({
          status: 'partially_refunded',
          refundedAmount: 4000,
          refundable: 6000,
        });
        expect(bankTxn(p.invoiceId).refunds.map((r) => r.amountMinor)).toEqual([4000]);
        expect(events.filter((e) => e.aggregateId === res.body.id).map((e) => e.type)).toEqual(['refund.succeeded']);
      },
    );

    it('http500 without processing: never sent again; once its call cannot be in flight, the unchanged bank amount fails it', async () => {
      const p = await chargedPayment(10000);
      t.sandbox.control.addFault({ path: 'refund', type: 'http500' });
      const res = await refund(p.id, { amount: 2000, reason: 'bank hiccup' }).expect(201);
      expect(res.body.status).toBe('unknown');
      expect(bankTxn(p.invoiceId).refunds).toHaveLength(0);
      const refundsBefore = t.sandbox.control.requestCount('refund');

      // young: the bank's unchanged amount proves nothing yet, it stays unknown on the backoff
      await reconcileDue(res.body.id);
      const [young] = await t.dataSource.query(`SELECT status, bank_attempts FROM refunds WHERE id = $1`, [
        res.body.id,
      ]);
      expect(young).toMatchObject({ status: 'unknown', bank_attempts: 1 });
      await t.dataSource.query(
        `UPDATE refunds SET created_at = now() - interval '10 minutes', next_check_at = now() WHERE id = $1`,
        [res.body.id],
      );
      await queue().claimDue(50, 60_000);
      await queue().reconcile(res.body.id);
      const [row] = await t.dataSource.query(`SELECT status, bank_attempts FROM refunds WHERE id = $1`, [res.body.id]);
      expect(row).toMatchObject({ status: 'failed', bank_attempts: 1 });
      expect(t.sandbox.control.requestCount('refund')).toBe(refundsBefore);
      expect(bankTxn(p.invoiceId).refunds).toHaveLength(0);
    });

    it('a bank status that says nothing about refunds (CANCEL) keeps it unknown on the backoff, never re-sent; sync settles it once it does', async () => {
      const p = await chargedPayment(10000);
      t.sandbox.control.addFault({ path: 'refund', type: 'http502' });
      const res = await refund(p.id, { amount: 2000, reason: 'then cancelled at the bank' }).expect(201);
      expect(res.body.status).toBe('unknown');
      const refundsBefore = t.sandbox.control.requestCount('refund');
      t.sandbox.state.payments.get(p.epayTransactionId)!.statusName = 'CANCEL';
      await t.dataSource.query(`UPDATE refunds SET created_at = now() - interval '10 minutes' WHERE id = $1`, [
        res.body.id,
      ]);
      await new Promise((r) => setTimeout(r, 1100));
      await queue().claimDue(50, 60_000);
      await queue().reconcile(res.body.id);
      const [row] = await t.dataSource.query(
        `SELECT status, needs_attention, next_check_at IS NOT NULL AS scheduled FROM refunds WHERE id = $1`,
        [res.body.id],
      );
      expect(row).toMatchObject({ status: 'unknown', needs_attention: false, scheduled: true });
      expect(t.sandbox.control.requestCount('refund')).toBe(refundsBefore);
      // the bank shows the charge again, without the refund: sync (read only) fails it
      t.sandbox.state.payments.get(p.epayTransactionId)!.statusName = 'CHARGE';
      await admin().post(`/v1/admin/payments/${p.id}/sync`, { reason: 'bank fixed it' }).expect(200);
      const [after] = await t.dataSource.query(`SELECT status FROM refunds WHERE id = $1`, [res.body.id]);
      expect(after.status).toBe('failed');
      expect(t.sandbox.control.requestCount('refund')).toBe(refundsBefore);
    });

    it('a refund left pending by a crashed request before its call is sent (its first and only send) once its request cannot be running', async () => {
      const p = await chargedPayment(10000);
      const insert = (id: string, createdAgo: string) =>
        t.dataSource.query(
          `INSERT INTO refunds (id, payment_id, amount, currency, status, external_id, reason, next_check_at, created_at)
           VALUES ($1::uuid, $2, 1500, 'KZT', 'pending', $1::text, 'crashed before the bank call', now() - interval '1 second', now() - $3::interval)`,
          [id, p.id, createdAgo],
        );
      const orphan = randomUUID();
      const fresh = randomUUID();
      await insert(orphan, '10 minutes');
      await insert(fresh, '0 seconds');
      const claimed = await queue().claimDue(50, 60_000);
      expect(claimed.sort()).toEqual([orphan, fresh].sort());
      expect(await queue().reconcile(fresh)).toBe('unchanged');
      expect(await queue().reconcile(orphan)).toBe('changed');
      const rows: { id: string; status: string; due_later: boolean }[] = await t.dataSource.query(
        `SELECT id, status, next_check_at > now() + interval '30 seconds' AS due_later FROM refunds WHERE id = ANY($1::uuid[])`,
        [[orphan, fresh]],
      );
      expect(rows.find((r) => r.id === orphan)?.status).toBe('succeeded');
      // its request may still be talking to the bank: left alone until the grace period is over
      expect(rows.find((r) => r.id === fresh)).toMatchObject({ status: 'pending', due_later: true });
      expect(bankTxn(p.invoiceId).refunds.map((r) => [r.amountMinor, r.externalId])).toEqual([[1500, orphan]]);
      await t.dataSource.query(`UPDATE refunds SET status = 'failed', next_check_at = NULL WHERE id = $1`, [fresh]);
    });

    it('reports its lag and claims nothing when nothing is due', async () => {
      await expect(queue().oldestDueLagSeconds()).resolves.toBeGreaterThanOrEqual(0);
      const again = await queue().claimDue(50, 60_000);
      expect(again).toEqual([]);
    });
  });

  it('client keys get 403 on every admin route; no key 401', async () => {
    const id = randomUUID();
    const routes: [string, string][] = [
      ['get', '/v1/admin/payments'],
      ['get', `/v1/admin/payments/${id}`],
      ['post', `/v1/admin/payments/${id}/refund`],
      ['post', `/v1/admin/payments/${id}/charge`],
      ['post', `/v1/admin/payments/${id}/cancel`],
      ['post', `/v1/admin/payments/${id}/sync`],
      ['get', '/v1/admin/refunds'],
      ['get', '/v1/admin/transfers'],
      ['get', '/v1/admin/reconciliation?from=2025-01-01&to=2025-01-02'],
    ];
    for (const [method, path] of routes) {
      const asClient = await (
        method === 'get' ? request(t.url).get(path) : request(t.url).post(path).send({ reason: 'x' })
      )
        .set('X-API-Key', t.clientKey)
        .set('Idempotency-Key', randomUUID());
      expect([path, asClient.status, asClient.body.error?.code]).toEqual([path, 403, 'FORBIDDEN']);
      const anonymous = await (method === 'get' ? request(t.url).get(path) : request(t.url).post(path).send({}));
      expect([path, anonymous.status]).toEqual([path, 401]);
    }
  });
});
