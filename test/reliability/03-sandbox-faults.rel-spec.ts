import { randomUUID } from 'node:crypto';
import type { FaultSpec } from '../../src/sandbox';
import { CARDS, paymentBody } from '../setup/fixtures';
import { recordFigure } from './helpers/figures';
import { query, startRelApp, type RelApp } from './helpers/rel-app';

// The bank misbehaving in every way the sandbox can: timeouts (hanging and dropped sockets), 5xx,
// garbled JSON, resets, "processed then lost" replies, token endpoint failures, a garbled status
// check, and postLinks dropped (30%) and duplicated (every one sent twice). Each payment is a client
// POST with an Idempotency-Key, retried once with the same key when the answer is not final (as a
// careful client would). After reconciliation (status checks on demand, callbacks confirmed):
//  - no payment lost: every id a client got is in the database, and every row was answered to a client
//  - none doubled: one payment per key, at most one bank transaction per invoice, one charge event
//  - exactly one cryptopay call per invoice that got a token (our records and the bank's count agree)
//  - every payment is in the state the bank has for its invoice.
const REPEAT = Number(process.env.REL_FAULT_REPEAT ?? 3);

type Card = (typeof CARDS)[keyof typeof CARDS];
interface Case {
  name: string;
  card: Card;
  faults: FaultSpec[];
}

const CASES: Case[] = [
  { name: 'no fault', card: CARDS.approveAny, faults: [] },
  { name: 'decline 484', card: CARDS.insufficientFunds, faults: [] },
  { name: '454 pending', card: CARDS.pending454, faults: [] },
  { name: 'cryptopay timeout (hangs)', card: CARDS.approveAny, faults: [{ path: 'cryptopay', type: 'timeout' }] },
  {
    name: 'cryptopay socket dropped',
    card: CARDS.approveAny,
    faults: [{ path: 'cryptopay', type: 'timeout', delayMs: 200 }],
  },
  { name: 'cryptopay 500', card: CARDS.approveAny, faults: [{ path: 'cryptopay', type: 'http500' }] },
  { name: 'cryptopay 502', card: CARDS.approveAny, faults: [{ path: 'cryptopay', type: 'http502' }] },
  { name: 'cryptopay malformed JSON', card: CARDS.approveAny, faults: [{ path: 'cryptopay', type: 'malformed' }] },
  { name: 'cryptopay reset', card: CARDS.approveAny, faults: [{ path: 'cryptopay', type: 'reset' }] },
  {
    name: 'cryptopay commit-then-500',
    card: CARDS.approveAny,
    faults: [{ path: 'cryptopay', type: 'commit-then-500' }],
  },
  {
    name: 'cryptopay commit-then-timeout',
    card: CARDS.approveAny,
    faults: [{ path: 'cryptopay', type: 'commit-then-timeout', delayMs: 200 }],
  },
  {
    name: 'cryptopay commit-then-hang',
    card: CARDS.approveAny,
    faults: [{ path: 'cryptopay', type: 'commit-then-timeout' }],
  },
  {
    name: 'decline behind commit-then-500',
    card: CARDS.insufficientFunds,
    faults: [{ path: 'cryptopay', type: 'commit-then-500' }],
  },
  { name: 'token 500 once', card: CARDS.approveAny, faults: [{ path: 'oauth', type: 'http500' }] },
  { name: 'token malformed once', card: CARDS.approveAny, faults: [{ path: 'oauth', type: 'malformed' }] },
  {
    name: 'token socket dropped once',
    card: CARDS.approveAny,
    faults: [{ path: 'oauth', type: 'timeout', delayMs: 100 }],
  },
  { name: 'token down', card: CARDS.approveAny, faults: [{ path: 'oauth', type: 'http502', times: 3 }] },
];

const BANK_TO_OURS: Record<string, string[]> = {
  CHARGE: ['charged'],
  AUTH: ['authorized'],
  FAILED: ['failed'],
  REJECT: ['failed'],
  '3D': ['failed'],
  NEW: ['unknown', 'pending'],
  // the bank never saw it: it must not look charged (it turns failed after NOT_FOUND_FINAL_AFTER_MS)
  NONE: ['unknown', 'failed'],
};

interface Attempt {
  caseName: string;
  key: string;
  answers: Array<{ status: number; id?: string; paymentStatus?: string }>;
}

describe('reliability: sandbox faults', () => {
  let t: RelApp;
  beforeAll(async () => {
    t = await startRelApp('faults', {
      env: { EPAY_TIMEOUT_MS: '1000' },
      sandboxOptions: { latencyMs: 5, postLink: { duplicates: 1, dropRate: 0.3 } },
    });
  });
  afterAll(async () => {
    await t?.finish();
  });

  async function pay(key: string, body: Record<string, unknown>): Promise<Attempt['answers'][number]> {
    try {
      const res = await fetch(`${t.url}/v1/payments/card`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': t.clientKey, 'idempotency-key': key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const json = (await res.json()) as { id?: string; status?: string };
      return { status: res.status, id: json.id, paymentStatus: json.status };
    } catch {
      return { status: 0 };
    }
  }

  it(`${CASES.length} fault kinds x ${REPEAT}: no payment lost or doubled, every one as the bank has it`, async () => {
    const control = t.sandbox.control;
    const cryptopayBefore = control.requestCount('cryptopay');
    const attempts: Attempt[] = [];
    for (let r = 0; r < REPEAT; r++) {
      for (const c of CASES) {
        control.clearFaults();
        for (const f of c.faults) control.addFault(f);
        const key = randomUUID();
        const body = paymentBody({ card: c.card, amount: 10_000 + attempts.length });
        const first = await pay(key, body);
        const attempt: Attempt = { caseName: c.name, key, answers: [first] };
        control.clearFaults();
        // a careful client retries an unclear answer with the same key: never a second payment
        if (first.status !== 201 || first.paymentStatus === 'unknown' || first.paymentStatus === 'pending')
          attempt.answers.push(await pay(key, body));
        attempts.push(attempt);
      }
    }

    // reconciliation: callbacks first, then status checks on demand (one of them garbled)
    await control.flushPostLinks();
    control.setPendingStatusChecks(1);
    control.addFault({ path: 'check-status', type: 'malformed' });
    const ids = [
      ...new Set(attempts.flatMap((a) => a.answers.map((x) => x.id)).filter((x): x is string => Boolean(x))),
    ];
    for (let round = 0; round < 4; round++) {
      const open = await query<{ id: string }>(
        t.db.url,
        `SELECT id FROM payments WHERE status IN ('created', 'pending', 'unknown')`,
      );
      if (!open.length) break;
      for (const { id } of open)
        await fetch(`${t.url}/v1/payments/${id}?refresh=true`, { headers: { 'x-api-key': t.clientKey } });
    }
    await control.flushPostLinks();
    await new Promise((r) => setTimeout(r, 500)); // in-process confirmations of the last callbacks

    const rows = await query<{
      id: string;
      invoice_id: string;
      status: string;
      cryptopay: number;
      token_ok: number;
      charged_events: number;
    }>(
      t.db.url,
      `SELECT p.id, p.invoice_id, p.status,
              (SELECT count(*)::int FROM gateway_exchanges g WHERE g.payment_id = p.id AND g.operation = 'cryptopay') AS cryptopay,
              (SELECT count(*)::int FROM gateway_exchanges g WHERE g.payment_id = p.id AND g.operation = 'token' AND g.outcome = 'ok') AS token_ok,
              (SELECT count(*)::int FROM payment_events e WHERE e.payment_id = p.id AND e.to_status = 'charged') AS charged_events
         FROM payments p`,
    );
    const bankByInvoice = new Map<string, string[]>();
    for (const tx of control.listTransactions())
      bankByInvoice.set(tx.invoiceId, [...(bankByInvoice.get(tx.invoiceId) ?? []), tx.statusName]);

    const answeredIds = new Set(ids);
    const lost = [...answeredIds].filter((id) => !rows.some((r) => r.id === id));
    const unanswered = rows.filter((r) => !answeredIds.has(r.id));
    const keysWithTwoIds = attempts.filter((a) => new Set(a.answers.map((x) => x.id).filter(Boolean)).size > 1);
    const doubledAtBank = [...bankByInvoice.entries()].filter(([, statuses]) => statuses.length > 1);
    const chargedTwice = rows.filter((r) => r.charged_events > 1);
    const wrongCryptopay = rows.filter((r) => (r.token_ok > 0 ? r.cryptopay !== 1 : r.cryptopay !== 0));
    const mismatched = rows.filter((r) => {
      const bank = bankByInvoice.get(r.invoice_id)?.at(-1) ?? 'NONE';
      return !(BANK_TO_OURS[bank] ?? []).includes(r.status);
    });
    const fiveHundreds = attempts.flatMap((a) => a.answers).filter((x) => x.status >= 500 || x.status === 0).length;
    const bankCalls = control.requestCount('cryptopay') - cryptopayBefore;
    const ourCalls = rows.reduce((s, r) => s + r.cryptopay, 0);
    const deliveries = control.getDeliveries();
    const callbacks = await query<{ verdict: string; n: number }>(
      t.db.url,
      `SELECT verdict, count(*)::int AS n FROM postlink_callbacks GROUP BY verdict`,
    );
    const finalStates = rows.reduce<Record<string, number>>(
      (m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }),
      {},
    );

    const ok =
      lost.length +
        unanswered.length +
        keysWithTwoIds.length +
        doubledAtBank.length +
        chargedTwice.length +
        wrongCryptopay.length +
        mismatched.length +
        fiveHundreds ===
        0 && bankCalls === ourCalls;
    recordFigure(
      'sandbox faults',
      `sandbox faults: ${attempts.length} payments under ${CASES.length} fault kinds (+ postLinks ${deliveries.filter((d) => d.dropped).length}/${deliveries.length} dropped, every one duplicated) -> ` +
        `${lost.length} lost, ${keysWithTwoIds.length + doubledAtBank.length + chargedTwice.length} doubled, ${rows.length - mismatched.length}/${rows.length} match the bank after reconciliation, ` +
        `cryptopay calls per invoice ${wrongCryptopay.length ? 'WRONG' : '= 1'} (${bankCalls} at the bank, ${ourCalls} recorded), ${fiveHundreds} 5xx/dropped answers; final ${JSON.stringify(finalStates)}`,
      ok,
      {
        finalStates,
        callbacks,
        mismatched,
        wrongCryptopay,
        lost,
        unanswered,
        doubledAtBank,
        chargedTwice,
        bankCalls,
        ourCalls,
      },
    );

    expect(lost).toEqual([]);
    expect(unanswered).toEqual([]);
    expect(keysWithTwoIds).toEqual([]);
    expect(rows).toHaveLength(attempts.length);
    expect(doubledAtBank).toEqual([]);
    expect(chargedTwice).toEqual([]);
    expect(wrongCryptopay).toEqual([]);
    expect(bankCalls).toBe(ourCalls);
    expect(mismatched.map((r) => ({ status: r.status, bank: bankByInvoice.get(r.invoice_id) ?? 'NONE' }))).toEqual([]);
    expect(fiveHundreds).toBe(0);
  });
});
