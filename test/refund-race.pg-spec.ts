import { randomUUID } from 'node:crypto';
import { RefundsReconciliationQueue } from '../src/modules/admin/refunds-reconciliation.queue';
import { api } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';
import { realPostgresUrl } from './setup/test-database';

// Row locks only mean something on a real server: PGlite serialises everything (TOOLCHAIN.md).
if (!realPostgresUrl()) throw new Error('refund-race.pg-spec.ts needs real PostgreSQL: set TEST_DATABASE_URL');

interface RefundReply {
  id: string;
  amount: number;
  status: string;
}

describe('concurrent refunds on real PostgreSQL: the ledger never exceeds the charge', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { DATABASE_POOL_SIZE: '10' } });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    t.sandbox.control.setLatency(0);
  });

  async function chargedPayment(amount: number): Promise<{ id: string; invoiceId: string }> {
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ amount, card: CARDS.approveAny }))
      .expect(201);
    expect(res.body.status).toBe('charged');
    return res.body;
  }

  const fire = (paymentId: string, amount: number, key = randomUUID()) =>
    api(t, 'admin').post(
      `/v1/admin/payments/${paymentId}/refund`,
      { amount, reason: `race ${amount}` },
      { 'Idempotency-Key': key },
    );

  async function ledger(paymentId: string) {
    const [row] = await t.dataSource.query(
      `SELECT p.captured_amount::int AS captured, p.refunded_amount::int AS refunded, p.status,
              COALESCE(sum(r.amount) FILTER (WHERE r.status <> 'failed'), 0)::int AS not_failed,
              COALESCE(sum(r.amount) FILTER (WHERE r.status = 'succeeded'), 0)::int AS succeeded,
              count(r.id)::int AS rows
         FROM payments p LEFT JOIN refunds r ON r.payment_id = p.id WHERE p.id = $1 GROUP BY p.id`,
      [paymentId],
    );
    return row as {
      captured: number;
      refunded: number;
      status: string;
      not_failed: number;
      succeeded: number;
      rows: number;
    };
  }

  it('20 concurrent partial refunds of 7000 on a 100000 charge: 14 succeed, 6 are refused, the bank is never asked for more', async () => {
    const p = await chargedPayment(100_000);
    // a slow bank keeps many refunds in flight at once
    t.sandbox.control.setLatency(40);
    const before = t.sandbox.control.requestCount('refund');
    const started = Date.now();
    const replies = await Promise.all(Array.from({ length: 20 }, () => fire(p.id, 7000)));
    const elapsed = Date.now() - started;

    const ok = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status === 422);
    expect(ok.length + refused.length).toBe(20);
    expect(ok.map((r) => (r.body as RefundReply).status)).toEqual(Array(14).fill('succeeded'));
    expect(refused.every((r) => r.body.error.code === 'REFUND_EXCEEDS_CHARGE')).toBe(true);
    expect(refused).toHaveLength(6);

    const bank = t.sandbox.control.getTransaction(p.invoiceId)!;
    const bankSum = bank.refunds.reduce((sum, r) => sum + r.amountMinor, 0);
    expect(bankSum).toBe(98_000);
    expect(bank.amountMinor).toBe(2000);
    expect(new Set(bank.refunds.map((r) => r.externalId)).size).toBe(14);
    // only refunds that fit were sent: the bank never refused one for exceeding what is left
    expect(t.sandbox.control.requestCount('refund') - before).toBe(14);

    expect(await ledger(p.id)).toEqual({
      captured: 100_000,
      refunded: 98_000,
      status: 'partially_refunded',
      not_failed: 98_000,
      succeeded: 98_000,
      rows: 14,
    });
    console.log(
      `race: 20 concurrent, ${ok.length} succeeded, ${refused.length} refused, 0 over-refunds; bank refunded ${bankSum} of 100000 in ${elapsed} ms`,
    );
  });

  it('mixed amounts summing to more than the charge, with some in flight at the bank: invariants hold', async () => {
    const p = await chargedPayment(50_000);
    t.sandbox.control.setLatency(25);
    const amounts = [
      1000, 9000, 4000, 12_000, 2500, 7000, 3000, 15_000, 1500, 6000, 2000, 8000, 5000, 1000, 11_000, 3500, 2000, 4500,
      10_000, 1200,
    ];
    expect(amounts.reduce((a, b) => a + b, 0)).toBeGreaterThan(50_000);
    const replies = await Promise.all(amounts.map((a) => fire(p.id, a)));
    expect(replies.every((r) => r.status === 201 || r.status === 422)).toBe(true);
    const accepted = replies.filter((r) => r.status === 201).map((r) => (r.body as RefundReply).amount);
    const sum = accepted.reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(50_000);
    // every refusal came when that amount really did not fit any more
    const row = await ledger(p.id);
    for (const r of replies.filter((x) => x.status === 422))
      expect(r.body.error.details.refundable).toBeLessThan(amounts[replies.indexOf(r)]);
    expect(row.succeeded).toBe(sum);
    expect(row.refunded).toBe(sum);
    const bank = t.sandbox.control.getTransaction(p.invoiceId)!;
    expect(bank.refunds.reduce((s, r) => s + r.amountMinor, 0)).toBe(sum);
    expect(bank.amountMinor).toBe(50_000 - sum);
    console.log(`race (mixed): 20 concurrent, ${accepted.length} succeeded, refunded ${sum} of 50000, 0 over-refunds`);
  });

  it('the same Idempotency-Key sent 10 times at once refunds once', async () => {
    const p = await chargedPayment(20_000);
    t.sandbox.control.setLatency(100);
    const key = randomUUID();
    const replies = await Promise.all(Array.from({ length: 10 }, () => fire(p.id, 5000, key)));
    const bodies = replies.filter((r) => r.status === 201).map((r) => (r.body as RefundReply).id);
    // the ones that arrived while the first was running waited for it (or got 409 after the wait)
    expect(new Set(bodies).size).toBe(1);
    expect(replies.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(t.sandbox.control.getTransaction(p.invoiceId)!.refunds).toHaveLength(1);
    expect((await ledger(p.id)).rows).toBe(1);
  });

  it('claims of the refunds queue do not overlap between replicas (FOR UPDATE SKIP LOCKED)', async () => {
    const p = await chargedPayment(30_000);
    // processed, replies lost: the queue learns each from the bank's amount drop, never sending again
    t.sandbox.control.addFault({ path: 'refund', type: 'commit-then-500', times: 3 });
    const sent = t.sandbox.control.requestCount('refund');
    for (let i = 0; i < 3; i++) expect((await fire(p.id, 2000)).body.status).toBe('unknown');
    t.sandbox.control.clearFaults();
    await t.dataSource.query(`UPDATE refunds SET next_check_at = now() - interval '1 second' WHERE payment_id = $1`, [
      p.id,
    ]);
    const queue = t.app.get(RefundsReconciliationQueue);
    const claims = await Promise.all(Array.from({ length: 4 }, () => queue.claimDue(1, 60_000)));
    const claimed = claims.flat();
    expect(claimed).toHaveLength(3);
    expect(new Set(claimed).size).toBe(3);
    for (const id of claimed) await queue.reconcile(id);
    const row = await ledger(p.id);
    expect(row).toMatchObject({ succeeded: 6000, refunded: 6000 });
    expect(t.sandbox.control.requestCount('refund')).toBe(sent + 3);
    expect(t.sandbox.control.getTransaction(p.invoiceId)!.refunds.map((r) => r.amountMinor)).toEqual([
      2000, 2000, 2000,
    ]);
  });
});
