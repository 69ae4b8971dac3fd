import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { EntityManager } from 'typeorm';
import { DomainEvent, DomainEvents } from '../src/common/events/domain-events.service';
import { RefundsReconciliationQueue } from '../src/modules/admin/refunds-reconciliation.queue';
import { PaymentOperationsReconciliationQueue } from '../src/modules/admin/payment-operations-reconciliation.queue';
import { TransferReconciliationQueue } from '../src/modules/p2p/transfer-reconciliation.queue';
import { PaymentsReconciliationQueue } from '../src/modules/status/payments-reconciliation.queue';
import { api, waitFor } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

// Issue 13: the bank's status decides. Against a bank that does NOT de-duplicate refund externalIDs
// (nothing in the seeds says it does), an ambiguous money-moving call is never sent again; what the
// status cannot settle a person resolves; the bank's amounts are compared with our ledger.
describe('bank truth (e2e, sandbox without externalID de-duplication)', () => {
  let t: TestApp;
  const events: DomainEvent[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      env: { EPAY_TIMEOUT_MS: '1500', POLLER_BACKOFF_SECONDS: '1,1,2' },
      // callbacks would settle payments behind the tests' backs
      sandboxOptions: { dedupeExternalId: false, postLink: { dropRate: 1 } },
    });
    t.app.get(DomainEvents).register({
      record: async (_m: EntityManager, event: DomainEvent) => void events.push(event),
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    t.sandbox.control.clearFaults();
    t.sandbox.control.setCaptureMode('CHARGE');
    t.sandbox.control.setLatency(0);
  });

  const admin = () => api(t, 'admin');
  const key = () => ({ 'Idempotency-Key': randomUUID() });
  const bankTxn = (invoiceId: string) => t.sandbox.control.getTransaction(invoiceId)!;
  const refundsQueue = () => t.app.get(RefundsReconciliationQueue);
  const adminKeyId = async (): Promise<string> =>
    (await t.dataSource.query(`SELECT id FROM api_keys WHERE name = 'test admin'`))[0].id;

  async function chargedPayment(amount = 10000) {
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ amount, card: CARDS.approveAny }))
      .expect(201);
    expect(res.body.status).toBe('charged');
    return res.body as { id: string; invoiceId: string; epayTransactionId: string };
  }

  // makes a row due now and lets the queue claim and reconcile whatever is due
  async function reconcileNow(
    queue: { claimDue(n: number, l: number): Promise<string[]>; reconcile(id: string): Promise<unknown> },
    table: string,
    id: string,
  ) {
    await t.dataSource.query(`UPDATE ${table} SET next_check_at = now() - interval '1 second' WHERE id = $1`, [id]);
    const claimed = await queue.claimDue(50, 60_000);
    expect(claimed).toContain(id);
    for (const claimedId of claimed) await queue.reconcile(claimedId);
  }

  describe('1. an ambiguous refund is sent to the bank exactly once', () => {
    it('reply lost, status 107 then failing: never re-sent (the bank refunded once), flagged past the age limit, resolved by a person', async () => {
      const p = await chargedPayment(10000);
      t.sandbox.control.addFault({ path: 'refund', type: 'commit-then-timeout', delayMs: 100 });
      const sent = t.sandbox.control.requestCount('refund');
      const res = await admin()
        .post(`/v1/admin/payments/${p.id}/refund`, { amount: 1000, reason: 'reply lost' }, key())
        .expect(201);
      expect(res.body).toMatchObject({ status: 'unknown', bankAttempts: 1 });
      expect(bankTxn(p.invoiceId).refunds).toHaveLength(1);

      // the bank's status is "in progress", then it cannot be asked at all
      t.sandbox.control.setStatusOverride(p.invoiceId, '107');
      await reconcileNow(refundsQueue(), 'refunds', res.body.id);
      await reconcileNow(refundsQueue(), 'refunds', res.body.id);
      // sync asks the bank and puts it back on the queue, but never sends the refund either
      await admin().post(`/v1/admin/payments/${p.id}/sync`, { reason: 'operator looks' }).expect(200);
      t.sandbox.control.setStatusOverride(p.invoiceId, null);
      t.sandbox.control.addFault({ path: 'check-status', type: 'http500', times: -1 });
      await reconcileNow(refundsQueue(), 'refunds', res.body.id);
      await reconcileNow(refundsQueue(), 'refunds', res.body.id);

      expect(t.sandbox.control.requestCount('refund')).toBe(sent + 1);
      expect(bankTxn(p.invoiceId).refunds.map((r) => r.amountMinor)).toEqual([1000]);
      const [open] = await t.dataSource.query(
        `SELECT status, bank_attempts, check_attempts, needs_attention, next_check_at IS NOT NULL AS scheduled FROM refunds WHERE id = $1`,
        [res.body.id],
      );
      expect(open).toMatchObject({ status: 'unknown', bank_attempts: 1, needs_attention: false, scheduled: true });
      expect(open.check_attempts).toBeGreaterThanOrEqual(4);

      // past ADMIN_ATTENTION_AFTER_HOURS (24 h) it is flagged for a person, and still polled (read only)
      await t.dataSource.query(`UPDATE refunds SET created_at = now() - interval '25 hours' WHERE id = $1`, [
        res.body.id,
      ]);
      await reconcileNow(refundsQueue(), 'refunds', res.body.id);
      const [flagged] = await t.dataSource.query(
        `SELECT status, needs_attention, attention_reason, next_check_at IS NOT NULL AS scheduled FROM refunds WHERE id = $1`,
        [res.body.id],
      );
      expect(flagged).toMatchObject({ status: 'unknown', needs_attention: true, scheduled: true });
      expect(flagged.attention_reason).toContain('resolve it by hand');
      const listed = await admin().get('/v1/admin/refunds?needsAttention=true').expect(200);
      expect(JSON.stringify(listed.body)).toContain(res.body.id);
      t.sandbox.control.clearFaults();

      // the operator checked the bank's cabinet: it was refunded
      await admin()
        .post(`/v1/admin/refunds/${res.body.id}/resolve`, { outcome: 'succeeded', reason: 'seen in the cabinet' })
        .expect(400); // Idempotency-Key required, as on every admin action
      const resolved = await admin()
        .post(
          `/v1/admin/refunds/${res.body.id}/resolve`,
          { outcome: 'succeeded', reason: 'seen in the cabinet' },
          key(),
        )
        .expect(200);
      expect(resolved.body).toMatchObject({
        status: 'succeeded',
        payment: { status: 'partially_refunded', refundedAmount: 1000, refundable: 9000 },
      });
      const again = await admin()
        .post(`/v1/admin/refunds/${res.body.id}/resolve`, { outcome: 'failed', reason: 'changed my mind' }, key())
        .expect(409);
      expect(again.body.error.code).toBe('OPERATION_NOT_ALLOWED');

      const audit: { actor: string; reason: string; data: { action: string; outcome: string } }[] =
        await t.dataSource.query(
          `SELECT actor, reason, data FROM payment_events WHERE payment_id = $1 AND data->>'action' = 'refund.resolved'`,
          [p.id],
        );
      expect(audit).toEqual([
        {
          actor: await adminKeyId(),
          reason: 'refund.resolved: seen in the cabinet',
          data: expect.objectContaining({ action: 'refund.resolved', outcome: 'succeeded', refundId: res.body.id }),
        },
      ]);
      expect(t.sandbox.control.requestCount('refund')).toBe(sent + 1);
    });

    it('a refund resolved failed frees its amount; one the bank provably did not make fails by itself once it cannot be in flight', async () => {
      const p = await chargedPayment(10000);
      // not processed by the bank (http502): nothing moved, but we cannot know that from the reply
      t.sandbox.control.addFault({ path: 'refund', type: 'http502' });
      const res = await admin()
        .post(`/v1/admin/payments/${p.id}/refund`, { amount: 4000, reason: 'bank hiccup' }, key())
        .expect(201);
      expect(res.body).toMatchObject({ status: 'unknown', payment: { refundable: 6000 } });
      const sent = t.sandbox.control.requestCount('refund');
      // while its call could still be in flight the bank's unchanged amount proves nothing
      await reconcileNow(refundsQueue(), 'refunds', res.body.id);
      const [young] = await t.dataSource.query(`SELECT status, bank_attempts FROM refunds WHERE id = $1`, [
        res.body.id,
      ]);
      expect(young).toEqual({ status: 'unknown', bank_attempts: 1 });
      // ... later it does: failed, amount free again, and still exactly one call
      await t.dataSource.query(`UPDATE refunds SET created_at = now() - interval '10 minutes' WHERE id = $1`, [
        res.body.id,
      ]);
      await reconcileNow(refundsQueue(), 'refunds', res.body.id);
      const [row] = await t.dataSource.query(`SELECT status, failure_code, bank_attempts FROM refunds WHERE id = $1`, [
        res.body.id,
      ]);
      expect(row).toEqual({ status: 'failed', failure_code: 'not_at_bank', bank_attempts: 1 });
      expect(t.sandbox.control.requestCount('refund')).toBe(sent);
      expect(bankTxn(p.invoiceId).refunds).toHaveLength(0);

      // an unknown refund a person declares not made: the amount is refundable again
      t.sandbox.control.addFault({ path: 'refund', type: 'timeout', delayMs: 2000 });
      const lost = await admin()
        .post(`/v1/admin/payments/${p.id}/refund`, { amount: 3000, reason: 'timed out' }, key())
        .expect(201);
      expect(lost.body).toMatchObject({ status: 'unknown', payment: { refundable: 7000 } });
      const failed = await admin()
        .post(`/v1/admin/refunds/${lost.body.id}/resolve`, { outcome: 'failed', reason: 'not in the cabinet' }, key())
        .expect(200);
      expect(failed.body).toMatchObject({
        status: 'failed',
        failure: { code: 'resolved_failed' },
        payment: { refundedAmount: 0, refundable: 10000 },
      });
      expect(events.find((e) => e.aggregateId === lost.body.id)?.type).toBe('refund.failed');
      const bad = await admin()
        .post(`/v1/admin/refunds/${lost.body.id}/resolve`, { outcome: 'maybe', reason: '' }, key())
        .expect(400);
      const fields = new Set(bad.body.error.details.map((d: { field: string }) => d.field));
      expect([...fields].sort()).toEqual(['outcome', 'reason']);
    });

    it('flags the payment and emits payment.bank_mismatch when the bank refunded more, or less, than our ledger', async () => {
      const p = await chargedPayment(10000);
      await admin().post(`/v1/admin/payments/${p.id}/refund`, { amount: 1000, reason: 'one item' }, key()).expect(201);
      // the bank refunds the same externalID a second time (a re-send to a bank that does not dedupe)
      const txn = t.sandbox.state.payments.get(p.epayTransactionId)!;
      txn.amountMinor -= 1000;
      txn.refunds.push({ amountMinor: 1000, externalId: 'the same one again', at: new Date().toISOString() });
      await admin().post(`/v1/admin/payments/${p.id}/sync`, { reason: 'check' }).expect(200);
      const flagged = await admin().get(`/v1/admin/payments/${p.id}`).expect(200);
      expect(flagged.body.payment).toMatchObject({ needsAttention: true, refundedAmount: 2000 });
      const [row] = await t.dataSource.query(`SELECT attention_reason FROM payments WHERE id = $1`, [p.id]);
      expect(row.attention_reason).toBe('bank mismatch: the bank shows 2000 refunded of 10000, our ledger 1000');
      const mismatch = events.filter((e) => e.type === 'payment.bank_mismatch' && e.aggregateId === p.id);
      expect(mismatch).toHaveLength(1);
      expect(mismatch[0].data).toMatchObject({ id: p.id, mismatch: row.attention_reason });
      // the same disagreement seen again is not told again
      await admin().post(`/v1/admin/payments/${p.id}/sync`, { reason: 'check again' }).expect(200);
      expect(events.filter((e) => e.type === 'payment.bank_mismatch' && e.aggregateId === p.id)).toHaveLength(1);

      // less: our ledger says refunded, the bank shows nothing refunded
      const q = await chargedPayment(10000);
      await admin().post(`/v1/admin/payments/${q.id}/refund`, { amount: 2000, reason: 'two items' }, key()).expect(201);
      const qTxn = t.sandbox.state.payments.get(q.epayTransactionId)!;
      qTxn.amountMinor = 10000;
      qTxn.refunds = [];
      const synced = await admin().post(`/v1/admin/payments/${q.id}/sync`, { reason: 'check' }).expect(200);
      expect(synced.body.payment.needsAttention).toBe(true);
      const less = events.filter((e) => e.type === 'payment.bank_mismatch' && e.aggregateId === q.id);
      expect(less.map((e) => e.data.mismatch)).toEqual([
        'bank mismatch: the bank shows 0 refunded of 10000, our ledger 2000',
      ]);
      // a refund still open explains the difference: no alarm
      const r = await chargedPayment(10000);
      t.sandbox.control.addFault({ path: 'refund', type: 'commit-then-500' });
      await admin()
        .post(`/v1/admin/payments/${r.id}/refund`, { amount: 1500, reason: 'reply lost' }, key())
        .expect(201);
      await admin().post(`/v1/admin/payments/${r.id}/sync`, { reason: 'check' }).expect(200);
      const settled = await admin().get(`/v1/admin/payments/${r.id}`).expect(200);
      expect(settled.body.payment).toMatchObject({ needsAttention: false, refundedAmount: 1500 });
    });

    it('an ambiguous charge is never sent again; a person resolves it, audited', async () => {
      t.sandbox.control.setCaptureMode('AUTH');
      const res = await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
        .expect(201);
      expect(res.body.status).toBe('authorized');
      t.sandbox.control.addFault({ path: 'charge', type: 'timeout', delayMs: 2000 });
      t.sandbox.control.addFault({ path: 'check-status', type: 'http500', times: -1 });
      const charges = t.sandbox.control.requestCount('charge');
      const op = await admin()
        .post(`/v1/admin/payments/${res.body.id}/charge`, { reason: 'ship it' }, key())
        .expect(201);
      expect(op.body.status).toBe('unknown');
      const queue = t.app.get(PaymentOperationsReconciliationQueue);
      await reconcileNow(queue, 'payment_operations', op.body.id);
      await reconcileNow(queue, 'payment_operations', op.body.id);
      expect(t.sandbox.control.requestCount('charge')).toBe(charges + 1);
      t.sandbox.control.clearFaults();
      await t.dataSource.query(
        `UPDATE payment_operations SET created_at = now() - interval '10 minutes' WHERE id = $1`,
        [op.body.id],
      );
      const resolved = await admin()
        .post(
          `/v1/admin/operations/${op.body.id}/resolve`,
          { outcome: 'failed', reason: 'not charged at the bank' },
          key(),
        )
        .expect(200);
      expect(resolved.body).toMatchObject({ status: 'failed', payment: { status: 'authorized' } });
      const [audit] = await t.dataSource.query(
        `SELECT actor, reason FROM payment_events WHERE payment_id = $1 AND data->>'action' = 'charge.resolved'`,
        [res.body.id],
      );
      expect(audit).toEqual({ actor: await adminKeyId(), reason: 'charge.resolved: not charged at the bank' });
      expect(t.sandbox.control.requestCount('charge')).toBe(charges + 1);
    });

    it('a transfer whose reply was lost is never re-sent; a person resolves it, audited', async () => {
      t.sandbox.control.addFault({ path: 'cards/auth', type: 'commit-then-timeout', delayMs: 100 });
      t.sandbox.control.addFault({ path: 'p2p', type: 'commit-then-timeout', delayMs: 100 });
      t.sandbox.control.addFault({ path: 'check-status-p2p', type: 'http500', times: -1 });
      const res = await api(t).post(
        '/v1/transfers',
        {
          amount: 50000,
          currency: 'KZT',
          description: 'rent',
          accountId: 'customer-p2p-resolve',
          sender: { card: CARDS.approveAny },
          receiver: { card: { number: '4405639704015096' } },
        },
        key(),
      );
      expect([res.status, res.body]).toMatchObject([201, { status: 'unknown' }]);
      const queue = t.app.get(TransferReconciliationQueue);
      await reconcileNow(queue, 'transfers', res.body.id);
      expect(t.sandbox.control.listTransfers().filter((x) => x.orderId === res.body.orderId)).toHaveLength(1);
      t.sandbox.control.clearFaults();
      await admin()
        .post(
          `/v1/admin/transfers/${res.body.id}/resolve`,
          { outcome: 'succeeded', reason: 'bank confirmed by phone' },
          key(),
        )
        .expect(409); // too young: its call may still be in flight
      await t.dataSource.query(`UPDATE transfers SET created_at = now() - interval '10 minutes' WHERE id = $1`, [
        res.body.id,
      ]);
      const resolved = await admin()
        .post(
          `/v1/admin/transfers/${res.body.id}/resolve`,
          { outcome: 'succeeded', reason: 'bank confirmed by phone' },
          key(),
        )
        .expect(200);
      expect(resolved.body).toMatchObject({ id: res.body.id, status: 'charged', failure: null });
      const [row] = await t.dataSource.query(
        `SELECT actor, source, reason FROM transfer_events WHERE transfer_id = $1 AND to_status = 'charged'`,
        [res.body.id],
      );
      expect(row).toEqual({
        actor: await adminKeyId(),
        source: 'admin',
        reason: 'transfer.resolved: bank confirmed by phone',
      });
      expect(events.find((e) => e.aggregateId === res.body.id)?.type).toBe('transfer.succeeded');
      // the bank has the transfer once: the lost reply was never answered with a second send
      expect(t.sandbox.control.listTransfers().filter((x) => x.orderId === res.body.orderId)).toHaveLength(1);
    });
  });

  describe('6. not found for 15 minutes: failed, re-checked slowly for 7 days', () => {
    async function failedAsNotFound() {
      // the bank charged it but lags: its status says "not found" (102)
      t.sandbox.control.addFault({ path: 'cryptopay', type: 'commit-then-500' });
      const res = await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
        .expect(201);
      expect(res.body.status).toBe('unknown');
      t.sandbox.control.setStatusOverride(res.body.invoiceId, '102');
      await t.dataSource.query(`UPDATE payments SET created_at = now() - interval '16 minutes' WHERE id = $1`, [
        res.body.id,
      ]);
      const failed = await api(t).get(`/v1/payments/${res.body.id}?refresh=true`).expect(200);
      expect(failed.body).toMatchObject({ status: 'failed', failure: { code: 'not_found_at_bank' } });
      return res.body as { id: string; invoiceId: string };
    }
    const payments = () => t.app.get(PaymentsReconciliationQueue);

    it('keeps looking on the slow schedule; when the bank shows CHARGE it flags it, emits payment.bank_mismatch; record_as_paid settles it, audited', async () => {
      const p = await failedAsNotFound();
      const [scheduled] = await t.dataSource.query(
        `SELECT EXTRACT(EPOCH FROM next_check_at - now())::int AS in_s FROM payments WHERE id = $1`,
        [p.id],
      );
      // the slowest step of the backoff (POLLER_BACKOFF_SECONDS=1,1,2 here; 6 h by default)
      expect(scheduled.in_s).toBeGreaterThanOrEqual(0);
      expect(scheduled.in_s).toBeLessThanOrEqual(2);
      // still not found: stays failed, looked at again later
      await reconcileNow(payments(), 'payments', p.id);
      const [still] = await t.dataSource.query(
        `SELECT status, needs_attention, next_check_at IS NOT NULL AS scheduled FROM payments WHERE id = $1`,
        [p.id],
      );
      expect(still).toEqual({ status: 'failed', needs_attention: false, scheduled: true });

      // the bank catches up
      t.sandbox.control.setStatusOverride(p.invoiceId, null);
      await reconcileNow(payments(), 'payments', p.id);
      const [found] = await t.dataSource.query(
        `SELECT status, needs_attention, attention_reason, next_check_at FROM payments WHERE id = $1`,
        [p.id],
      );
      expect(found).toMatchObject({ status: 'failed', needs_attention: true, next_check_at: null });
      expect(found.attention_reason).toBe('bank mismatch: bank reports charged but the payment is failed');
      expect(events.filter((e) => e.aggregateId === p.id).map((e) => e.type)).toEqual([
        'payment.bank_mismatch',
        'payment.needs_attention',
      ]);

      const resolved = await admin()
        .post(
          `/v1/admin/payments/${p.id}/resolve-mismatch`,
          { resolution: 'record_as_paid', reason: 'order shipped anyway' },
          key(),
        )
        .expect(200);
      expect(resolved.body.payment).toMatchObject({
        status: 'charged',
        capturedAmount: 10050,
        needsAttention: false,
        failure: null,
      });
      const [row] = await t.dataSource.query(
        `SELECT from_status, to_status, source, actor, reason FROM payment_events WHERE payment_id = $1 ORDER BY created_at DESC LIMIT 1`,
        [p.id],
      );
      expect(row).toEqual({
        from_status: 'failed',
        to_status: 'charged',
        source: 'admin',
        actor: await adminKeyId(),
        reason: 'mismatch resolved (record_as_paid): order shipped anyway',
      });
      // nothing else leaves `failed`
      const other = await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.insufficientFunds }))
        .expect(201);
      const refused = await admin()
        .post(
          `/v1/admin/payments/${other.body.id}/resolve-mismatch`,
          { resolution: 'record_as_paid', reason: 'declined, not ours' },
          key(),
        )
        .expect(409);
      expect(refused.body.error.code).toBe('OPERATION_NOT_ALLOWED');
    });

    it('refund_at_bank gives the money back through the refund ledger, sent once', async () => {
      const p = await failedAsNotFound();
      t.sandbox.control.setStatusOverride(p.invoiceId, null);
      const refunds = t.sandbox.control.requestCount('refund');
      const resolved = await admin()
        .post(
          `/v1/admin/payments/${p.id}/resolve-mismatch`,
          { resolution: 'refund_at_bank', reason: 'customer paid twice' },
          key(),
        )
        .expect(200);
      expect(resolved.body.refund).toMatchObject({ status: 'succeeded', amount: 10050 });
      expect(resolved.body.payment).toMatchObject({ status: 'refunded', refundedAmount: 10050 });
      expect(t.sandbox.control.requestCount('refund')).toBe(refunds + 1);
      expect(bankTxn(p.invoiceId).statusName).toBe('REFUND');
    });

    it('refund_at_bank of an authorisation cancels it, sent once', async () => {
      t.sandbox.control.setCaptureMode('AUTH');
      const p = await failedAsNotFound();
      t.sandbox.control.setStatusOverride(p.invoiceId, null);
      const cancels = t.sandbox.control.requestCount('cancel');
      const resolved = await admin()
        .post(
          `/v1/admin/payments/${p.id}/resolve-mismatch`,
          { resolution: 'refund_at_bank', reason: 'release the hold' },
          key(),
        )
        .expect(200);
      expect(resolved.body.operation).toMatchObject({ kind: 'cancel', status: 'succeeded' });
      expect(resolved.body.payment).toMatchObject({ status: 'cancelled', needsAttention: false });
      expect(t.sandbox.control.requestCount('cancel')).toBe(cancels + 1);
      expect(bankTxn(p.invoiceId).statusName).toBe('CANCEL');
      const statuses: { from_status: string; to_status: string }[] = await t.dataSource.query(
        `SELECT from_status, to_status FROM payment_events WHERE payment_id = $1 AND from_status <> to_status ORDER BY created_at`,
        [p.id],
      );
      expect(statuses.map((r) => `${r.from_status}>${r.to_status}`)).toEqual([
        'created>unknown',
        'unknown>failed',
        'failed>authorized',
        'authorized>cancelled',
      ]);
    });

    it('stops looking after 7 days', async () => {
      const p = await failedAsNotFound();
      await t.dataSource.query(`UPDATE payments SET finalized_at = now() - interval '8 days' WHERE id = $1`, [p.id]);
      const checks = t.sandbox.control.requestCount('check-status');
      await reconcileNow(payments(), 'payments', p.id);
      expect(t.sandbox.control.requestCount('check-status')).toBe(checks);
      const [row] = await t.dataSource.query(`SELECT next_check_at FROM payments WHERE id = $1`, [p.id]);
      expect(row.next_check_at).toBeNull();
    });
  });

  describe('7. the database failing around the bank call', () => {
    it('a payment the bank charged while the database went away: 503 OUTCOME_PENDING with its id; the same key later gets it, no second charge', async () => {
      t.sandbox.control.setLatency(800);
      const idempotencyKey = randomUUID();
      const body = paymentBody({ card: CARDS.approveAny });
      const charges = t.sandbox.control.requestCount('cryptopay');
      const pending = request(t.url)
        .post('/v1/payments/card')
        .set('X-API-Key', t.clientKey)
        .set('Idempotency-Key', idempotencyKey)
        .send(body)
        .then((r) => r);
      // the payment row is committed and the bank is working on it: now the database goes away
      await waitFor(async () => t.sandbox.control.requestCount('cryptopay') > charges, 5000, 10);
      await t.dataSource.destroy();
      let res: request.Response;
      try {
        res = await pending;
        // a plain outage: 503 too, not 500
        const outage = await api(t).get(`/v1/payments/${randomUUID()}`);
        expect(outage.status).toBe(503);
        expect(outage.body.error.code).toBe('DATABASE_UNAVAILABLE');
        expect(outage.headers['retry-after']).toBe('5');
      } finally {
        await t.dataSource.initialize();
      }
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.error).toMatchObject({ code: 'OUTCOME_PENDING', details: { paymentId: expect.any(String) } });
      expect(res.body.error.message).toContain('same Idempotency-Key');
      const id = res.body.error.details.paymentId as string;
      expect(
        bankTxn((await t.dataSource.query(`SELECT invoice_id FROM payments WHERE id = $1`, [id]))[0].invoice_id)
          .statusName,
      ).toBe('CHARGE');

      t.sandbox.control.setLatency(0);
      // the key's lease (60 s) could not be given back while the database was away: once it has run
      // out, the same key answers with the payment as it is now
      await t.dataSource.query(`UPDATE idempotency_keys SET locked_until = now() WHERE key = $1`, [idempotencyKey]);
      const retry = await request(t.url)
        .post('/v1/payments/card')
        .set('X-API-Key', t.clientKey)
        .set('Idempotency-Key', idempotencyKey)
        .send(body);
      expect([retry.status, retry.body.id, retry.body.error]).toEqual([200, id, undefined]);
      const read = await api(t).get(`/v1/payments/${id}?refresh=true`).expect(200);
      expect(read.body).toMatchObject({ status: 'charged', failure: null });
      expect(t.sandbox.control.requestCount('cryptopay')).toBe(charges + 1);
    });
    it('a refund the bank made while the database went away: 503 OUTCOME_PENDING with its id; settled later from the bank, sent once', async () => {
      const p = await chargedPayment(10000);
      const sent = t.sandbox.control.requestCount('refund');
      t.sandbox.control.setLatency(800);
      const pending = request(t.url)
        .post(`/v1/admin/payments/${p.id}/refund`)
        .set('X-API-Key', t.adminKey)
        .set('Idempotency-Key', randomUUID())
        .send({ amount: 3000, reason: 'database goes away' })
        .then((r) => r);
      await waitFor(async () => t.sandbox.control.requestCount('refund') > sent, 5000, 10);
      await t.dataSource.destroy();
      let res: request.Response;
      try {
        res = await pending;
      } finally {
        await t.dataSource.initialize();
        t.sandbox.control.setLatency(0);
      }
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.error).toMatchObject({
        code: 'OUTCOME_PENDING',
        details: { refundId: expect.any(String), paymentId: p.id },
      });
      const refundId = res.body.error.details.refundId as string;
      const [row] = await t.dataSource.query(`SELECT status, bank_attempts FROM refunds WHERE id = $1`, [refundId]);
      expect(row).toEqual({ status: 'pending', bank_attempts: 1 });
      // once its request cannot be running, the queue reads the bank's amount drop: refunded, no second call
      await t.dataSource.query(`UPDATE refunds SET created_at = now() - interval '10 minutes' WHERE id = $1`, [
        refundId,
      ]);
      await reconcileNow(refundsQueue(), 'refunds', refundId);
      const [after] = await t.dataSource.query(`SELECT status FROM refunds WHERE id = $1`, [refundId]);
      expect(after.status).toBe('succeeded');
      expect(t.sandbox.control.requestCount('refund')).toBe(sent + 1);
      expect(bankTxn(p.invoiceId).refunds.map((r) => r.amountMinor)).toEqual([3000]);
    });
  });

  describe('9. a payment that succeeded carries no failure', () => {
    it('unknown (GATEWAY_TIMEOUT) → charged clears failure in the API and the outbound event; the history keeps it', async () => {
      t.sandbox.control.addFault({ path: 'cryptopay', type: 'commit-then-timeout' });
      const res = await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
        .expect(201);
      expect(res.body).toMatchObject({ status: 'unknown', failure: { code: 'GATEWAY_TIMEOUT' } });
      const charged = await api(t).get(`/v1/payments/${res.body.id}?refresh=true`).expect(200);
      expect(charged.body).toMatchObject({ status: 'charged', failure: null });
      const outbound: { type: string; data: { failure: unknown } }[] = await t.dataSource.query(
        `SELECT type, data FROM outbound_events WHERE aggregate_id = $1 ORDER BY created_at`,
        [res.body.id],
      );
      expect(outbound.map((e) => [e.type, e.data.failure])).toEqual([
        ['payment.unknown', expect.objectContaining({ code: 'GATEWAY_TIMEOUT' })],
        ['payment.succeeded', null],
      ]);
      const history: { reason: string }[] = await t.dataSource.query(
        `SELECT reason FROM payment_events WHERE payment_id = $1 ORDER BY created_at`,
        [res.body.id],
      );
      expect(history.map((h) => h.reason)).toContain('ePay cryptopay: timeout');
    });
  });
});
