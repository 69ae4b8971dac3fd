import { randomUUID } from 'node:crypto';
import { CARDS, paymentBody } from '../setup/fixtures';
import { recordFigure } from './helpers/figures';
import { query, startRelApp, type RelApp } from './helpers/rel-app';

// Back-office operators refunding the same payment at once: 20 concurrent partial refunds (distinct
// Idempotency-Keys) that together exceed the charge. Whatever order they land in, the refunds the
// bank made and the refunds we count never exceed what was charged.
const REFUNDS = Number(process.env.REL_REFUNDS ?? 20);
const REFUND_PATH = '/v1/admin/payments/{id}/refund';

interface RefundAnswer {
  status: number;
  body: { status?: string; amount?: number; error?: { code?: string } };
}

describe('reliability: refund race', () => {
  let t: RelApp;
  let endpoint = false;
  beforeAll(async () => {
    t = await startRelApp('refunds', { sandboxOptions: { latencyMs: 30 } });
    const doc = (await (await fetch(`${t.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    endpoint = Boolean(doc.paths[REFUND_PATH]?.post);
  });
  afterAll(async () => {
    await t?.finish();
  });

  async function charged(amount: number): Promise<{ id: string; invoiceId: string }> {
    const res = await fetch(`${t.url}/v1/payments/card`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': t.clientKey },
      body: JSON.stringify(paymentBody({ amount, card: CARDS.approveAny })),
    });
    const body = (await res.json()) as { id: string; invoiceId: string; status: string };
    expect(body.status).toBe('charged');
    return body;
  }

  async function race(amount: number, parts: number[]) {
    const p = await charged(amount);
    const answers: RefundAnswer[] = await Promise.all(
      parts.map(async (part, i) => {
        const res = await fetch(`${t.url}/v1/admin/payments/${p.id}/refund`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': t.adminKey, 'idempotency-key': randomUUID() },
          body: JSON.stringify({ amount: part, reason: `race ${i}` }),
        });
        return { status: res.status, body: (await res.json()) as RefundAnswer['body'] };
      }),
    );
    const [payment] = await query<{ captured_amount: number; refunded_amount: number; status: string }>(
      t.db.url,
      `SELECT captured_amount::int, refunded_amount::int, status FROM payments WHERE id = $1`,
      [p.id],
    );
    const [ledger] = await query<{ succeeded: number; open: number; n: number }>(
      t.db.url,
      `SELECT coalesce(sum(amount) FILTER (WHERE status = 'succeeded'), 0)::int AS succeeded,
              coalesce(sum(amount) FILTER (WHERE status IN ('pending', 'unknown')), 0)::int AS open, count(*)::int AS n
         FROM refunds WHERE payment_id = $1`,
      [p.id],
    );
    const bank = t.sandbox.control.getTransaction(p.invoiceId)!;
    const bankRefunded = bank.refunds.reduce((s, r) => s + r.amountMinor, 0);
    const accepted = answers.filter((a) => a.status === 201 && a.body.status !== 'failed');
    const acceptedSum = accepted.reduce((s, a) => s + (a.body.amount ?? 0), 0);
    const fiveHundreds = answers.filter((a) => a.status >= 500).length;
    const overRefund = Math.max(
      0,
      bankRefunded - amount,
      ledger.succeeded + ledger.open - amount,
      payment.refunded_amount - payment.captured_amount,
    );
    return { p, answers, payment, ledger, bankRefunded, accepted, acceptedSum, fiveHundreds, overRefund };
  }

  it(`${REFUNDS} concurrent partial refunds exceeding the charge: no over-refund`, async () => {
    if (!endpoint) {
      recordFigure('refund race', `refund race: SKIPPED - POST ${REFUND_PATH} is not in /docs-json yet`, true);
      return;
    }
    // 20 x 10 KZT against a 100 KZT charge, and 20 uneven parts (10..30 KZT) against 150 KZT
    const even = await race(
      10_000,
      Array.from({ length: REFUNDS }, () => 1_000),
    );
    const uneven = await race(
      15_000,
      Array.from({ length: REFUNDS }, () => 1_000 + Math.floor(Math.random() * 2_001)),
    );
    const statuses = (r: typeof even) =>
      r.answers.reduce<Record<string, number>>((m, a) => {
        const k = a.status === 201 ? `201 ${a.body.status}` : `${a.status} ${a.body.error?.code ?? ''}`.trim();
        return { ...m, [k]: (m[k] ?? 0) + 1 };
      }, {});
    const over = even.overRefund + uneven.overRefund;
    recordFigure(
      'refund race',
      `refund race: ${REFUNDS} concurrent, ${over} over-refunds (even: ${even.accepted.length} accepted = ${even.bankRefunded} of 10000 at the bank; ` +
        `uneven: ${uneven.accepted.length} accepted = ${uneven.bankRefunded} of 15000; answers ${JSON.stringify(statuses(even))} / ${JSON.stringify(statuses(uneven))})`,
      over === 0 && even.fiveHundreds + uneven.fiveHundreds === 0,
      { even: { ...even, answers: statuses(even) }, uneven: { ...uneven, answers: statuses(uneven) } },
    );
    for (const r of [even, uneven]) {
      expect(r.fiveHundreds).toBe(0);
      expect(r.overRefund).toBe(0);
      // what we told the operators matches what the bank did and what the payment says
      expect(r.acceptedSum).toBe(r.bankRefunded);
      expect(r.ledger.succeeded).toBe(r.bankRefunded);
      expect(r.payment.refunded_amount).toBe(r.bankRefunded);
      expect(r.payment.refunded_amount).toBeLessThanOrEqual(r.payment.captured_amount);
    }
    // the even race fits exactly ten refunds
    expect(even.bankRefunded).toBe(10_000);
  });
});
