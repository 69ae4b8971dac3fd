import { randomUUID } from 'node:crypto';
import { PaymentOperationsReconciliationQueue } from '../../src/modules/admin/payment-operations-reconciliation.queue';
import { RefundsReconciliationQueue } from '../../src/modules/admin/refunds-reconciliation.queue';
import { TransferReconciliationQueue } from '../../src/modules/p2p/transfer-reconciliation.queue';
import type { ReconciliationQueue } from '../../src/modules/status/reconciliation-queue.interface';
import { driveAcs, type FaultSpec, type FaultType } from '../../src/sandbox';
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

  // Every other money-moving call under the same faults, on a bank that does NOT de-duplicate refund
  // externalIDs: refund, charge, cancel, P2P transfer and saved-card payment, plus status checks that
  // fail while a lost payment is reconciled. Each operation is one client request (retried once with
  // the same Idempotency-Key when unclear), then reconciled (queues and status checks, its call
  // backdated past the in-flight grace). Counted per operation: bank calls at the sandbox and calls
  // we recorded (must both be 1), the bank's effect (at most once) and our final state against it.
  const OP_FAULTS: Array<{ name: string; fault?: Omit<FaultSpec, 'path'> }> = [
    { name: 'no fault' },
    { name: 'timeout (hangs)', fault: { type: 'timeout' } },
    { name: 'socket dropped', fault: { type: 'timeout', delayMs: 200 } },
    { name: '500', fault: { type: 'http500' } },
    { name: '502', fault: { type: 'http502' } },
    { name: 'malformed JSON', fault: { type: 'malformed' } },
    { name: 'reset', fault: { type: 'reset' } },
    { name: 'commit-then-500', fault: { type: 'commit-then-500' } },
    { name: 'commit-then-timeout', fault: { type: 'commit-then-timeout', delayMs: 200 } },
    { name: 'commit-then-hang', fault: { type: 'commit-then-timeout' } },
  ];
  const STATUS_FAULTS: FaultType[] = ['timeout', 'http500', 'http502', 'malformed', 'reset'];

  interface OpResult {
    kind: string;
    fault: string;
    bankCalls: number;
    ourCalls: number;
    bankEffects: number;
    ours: string;
    bank: string;
    ok: boolean;
  }

  it('refund, charge, cancel, P2P, saved-card, 3-D Secure confirm and status faults: one bank call per operation, settled as the bank has it', async () => {
    const control = t.sandbox.control;
    control.setDedupeExternalId(false);
    control.setPostLink({ dropRate: 1 });
    const results: OpResult[] = [];
    const send = async (key: 'client' | 'admin', path: string, body: unknown, idem: string) => {
      const res = await fetch(`${t.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': key === 'client' ? t.clientKey : t.adminKey,
          'idempotency-key': idem,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    // the client's request, and one retry with the same key when the answer is not final
    const request = async (key: 'client' | 'admin', path: string, body: unknown) => {
      const idem = randomUUID();
      const first = await send(key, path, body, idem);
      control.clearFaults();
      const unclear = first.status !== 201 || ['unknown', 'pending'].includes(String(first.body.status));
      return unclear ? send(key, path, body, idem) : first;
    };
    const inject = (route: string, f: (typeof OP_FAULTS)[number]) => {
      control.clearFaults();
      if (f.fault) control.addFault({ path: route, ...f.fault });
    };
    const drain = async (queue: ReconciliationQueue) => {
      for (const id of await queue.claimDue(100, 60_000)) await queue.reconcile(id);
    };
    const exchanges = async (column: 'payment_id' | 'transfer_id', id: string, operation: string) =>
      (
        await query<{ n: number }>(
          t.db.url,
          `SELECT count(*)::int AS n FROM gateway_exchanges WHERE ${column} = $1 AND operation = $2`,
          [id, operation],
        )
      )[0].n;
    const pastGrace = (table: string, where: string, id: string) =>
      query(
        t.db.url,
        `UPDATE ${table} SET created_at = created_at - interval '10 minutes', next_check_at = now() WHERE ${where} = $1`,
        [id],
      );
    // a payment read back as a client would (refreshed n times), with the bank's attempts on its invoice
    const readBack = async (id: string, refreshes: number) => {
      for (let i = 0; i < refreshes; i++)
        await fetch(`${t.url}/v1/payments/${id}?refresh=true`, { headers: { 'x-api-key': t.clientKey } });
      const [row] = await query<{ status: string; invoice_id: string }>(
        t.db.url,
        `SELECT status, invoice_id FROM payments WHERE id = $1`,
        [id],
      );
      return { row, atBank: control.listTransactions().filter((x) => x.invoiceId === row?.invoice_id) };
    };
    const charged = async (captureMode: 'CHARGE' | 'AUTH') => {
      control.clearFaults();
      control.setCaptureMode(captureMode);
      const res = await send('client', '/v1/payments/card', paymentBody({ card: CARDS.approveAny }), randomUUID());
      control.setCaptureMode('CHARGE');
      return res.body as { id: string; invoiceId: string; epayTransactionId: string };
    };

    for (const f of OP_FAULTS) {
      // refund: the bank's refunds of the transaction against our ledger row
      {
        const p = await charged('CHARGE');
        const before = control.requestCount('refund');
        inject('refund', f);
        const res = await request('admin', `/v1/admin/payments/${p.id}/refund`, { amount: 2000, reason: 'rel' });
        const refundId = String(res.body.id);
        await pastGrace('refunds', 'id', refundId);
        await drain(t.app.get(RefundsReconciliationQueue));
        const [row] = await query<{ status: string }>(t.db.url, `SELECT status FROM refunds WHERE id = $1`, [refundId]);
        const effects = control.getTransaction(p.invoiceId)?.refunds.length ?? 0;
        const bank = effects ? 'refunded' : 'not refunded';
        results.push({
          kind: 'refund',
          fault: f.name,
          bankCalls: control.requestCount('refund') - before,
          ourCalls: await exchanges('payment_id', p.id, 'refund'),
          bankEffects: effects,
          ours: row?.status ?? 'missing',
          bank,
          ok: (row?.status === 'succeeded') === (effects === 1) && row?.status !== 'unknown',
        });
      }
      // charge and cancel of an authorisation
      for (const kind of ['charge', 'cancel'] as const) {
        const p = await charged('AUTH');
        const before = control.requestCount(kind);
        inject(kind, f);
        const res = await request('admin', `/v1/admin/payments/${p.id}/${kind}`, { reason: 'rel' });
        const opId = String(res.body.id);
        await pastGrace('payment_operations', 'id', opId);
        await drain(t.app.get(PaymentOperationsReconciliationQueue));
        const [row] = await query<{ status: string }>(t.db.url, `SELECT status FROM payment_operations WHERE id = $1`, [
          opId,
        ]);
        const bank = control.getTransaction(p.invoiceId)?.statusName ?? 'NONE';
        const done = bank === (kind === 'charge' ? 'CHARGE' : 'CANCEL');
        results.push({
          kind,
          fault: f.name,
          bankCalls: control.requestCount(kind) - before,
          ourCalls: await exchanges('payment_id', p.id, kind),
          bankEffects: done ? 1 : 0,
          ours: row?.status ?? 'missing',
          bank,
          ok: (row?.status === 'succeeded') === done && row?.status !== 'unknown',
        });
      }
      // P2P transfer
      {
        // seed 003's path (the default): POST /payments/cards/auth
        const before = control.requestCount('cards/auth');
        inject('cards/auth', f);
        const res = await request('client', '/v1/transfers', {
          amount: 50_000 + results.length,
          currency: 'KZT',
          description: 'rel p2p',
          accountId: `rel-p2p-${results.length}`,
          sender: { card: CARDS.approveAny },
          receiver: { card: { number: '4405639704015096' } },
        });
        const id = String(res.body.id);
        await pastGrace('transfers', 'id', id);
        await drain(t.app.get(TransferReconciliationQueue));
        const [row] = await query<{ status: string; order_id: string }>(
          t.db.url,
          `SELECT status, order_id FROM transfers WHERE id = $1`,
          [id],
        );
        const atBank = control.listTransfers().filter((x) => x.orderId === row?.order_id);
        const bank = atBank.at(-1)?.statusName ?? 'NONE';
        results.push({
          kind: 'p2p',
          fault: f.name,
          bankCalls: control.requestCount('cards/auth') - before,
          ourCalls: await exchanges('transfer_id', id, 'p2p-transfer'),
          bankEffects: atBank.length,
          ours: row?.status ?? 'missing',
          bank,
          ok: (BANK_TO_OURS[bank] ?? []).includes(row?.status ?? 'missing'),
        });
      }
      // saved-card payment
      {
        control.clearFaults();
        const accountId = `rel-saved-${results.length}`;
        const first = await send(
          'client',
          '/v1/payments/card',
          paymentBody({ accountId, saveCard: true, card: CARDS.approve }),
          randomUUID(),
        );
        const before = control.requestCount('cards/auth');
        inject('cards/auth', f);
        const res = await request(
          'client',
          '/v1/payments/saved-card',
          paymentBody({ accountId, cardId: first.body.savedCardId, amount: 5000 }),
        );
        const id = String(res.body.id);
        const { row, atBank } = await readBack(id, 2);
        const bank = atBank.at(-1)?.statusName ?? 'NONE';
        results.push({
          kind: 'saved-card',
          fault: f.name,
          bankCalls: control.requestCount('cards/auth') - before,
          ourCalls: await exchanges('payment_id', id, 'card-id-payment'),
          bankEffects: atBank.length,
          ours: row?.status ?? 'missing',
          bank,
          ok: (BANK_TO_OURS[bank] ?? []).includes(row?.status ?? 'missing'),
        });
      }
      // 3-D Secure: the one confirm call our TermUrl makes after the customer passed the ACS
      {
        control.clearFaults();
        const created = await send(
          'client',
          '/v1/payments/card',
          paymentBody({ card: CARDS.threeDsAny }),
          randomUUID(),
        );
        const id = String(created.body.id);
        const page = await (await fetch(`${t.url}/v1/three-ds/${id}`)).text();
        const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';
        const action = /action="([^"]*)"/.exec(page)?.[1] ?? '';
        const termUrl = `${t.url}/v1/three-ds/${id}/callback`;
        const acs = await driveAcs({ action, paReq: field('PaReq'), md: field('MD') }, termUrl, 'approve');
        const before = control.requestCount('confirm');
        inject('confirm', f);
        await fetch(termUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ PaRes: acs.PaRes, MD: acs.MD }),
          redirect: 'manual',
          signal: AbortSignal.timeout(60_000),
        });
        control.clearFaults();
        const { row, atBank } = await readBack(id, 2);
        const bank = atBank.at(-1)?.statusName ?? 'NONE';
        const taken = bank === 'CHARGE' || bank === 'AUTH';
        const oursTaken = row?.status === 'charged' || row?.status === 'authorized';
        results.push({
          kind: 'confirm',
          fault: f.name,
          bankCalls: control.requestCount('confirm') - before,
          ourCalls: await exchanges('payment_id', id, 'confirm-3ds'),
          bankEffects: taken ? 1 : 0,
          ours: row?.status ?? 'missing',
          bank,
          // money taken at the bank exactly when we say so (not yet settled is fine while the bank is silent)
          ok: taken === oursTaken,
        });
      }
    }
    // status checks failing while a lost payment is reconciled: still one cryptopay call, then charged
    for (const type of STATUS_FAULTS) {
      control.clearFaults();
      control.addFault({ path: 'cryptopay', type: 'commit-then-500' });
      const before = control.requestCount('cryptopay');
      const res = await send('client', '/v1/payments/card', paymentBody({ card: CARDS.approveAny }), randomUUID());
      const id = String(res.body.id);
      control.addFault({ path: 'check-status', type, times: 2 });
      const { row, atBank } = await readBack(id, 3);
      const bank = atBank.at(-1)?.statusName ?? 'NONE';
      results.push({
        kind: 'status',
        fault: type,
        bankCalls: control.requestCount('cryptopay') - before,
        ourCalls: await exchanges('payment_id', id, 'cryptopay'),
        bankEffects: atBank.length,
        ours: row?.status ?? 'missing',
        bank,
        ok: (BANK_TO_OURS[bank] ?? []).includes(row?.status ?? 'missing'),
      });
    }
    control.clearFaults();

    const perKind: Record<string, { ops: number; bankCalls: number[]; wrong: number }> = {};
    for (const r of results) {
      const k = (perKind[r.kind] ??= { ops: 0, bankCalls: [], wrong: 0 });
      k.ops++;
      if (!k.bankCalls.includes(r.bankCalls)) k.bankCalls.push(r.bankCalls);
      if (!r.ok) k.wrong++;
    }
    const notOnce = results.filter((r) => r.bankCalls !== 1 || r.ourCalls !== 1 || r.bankEffects > 1);
    const wrong = results.filter((r) => !r.ok);
    const summary = Object.entries(perKind)
      .map(
        ([kind, k]) =>
          `${kind} ${k.ops} (calls/op ${k.bankCalls.sort().join('|')}, ${k.ops - k.wrong}/${k.ops} as the bank)`,
      )
      .join(', ');
    recordFigure(
      'sandbox faults: money-moving operations',
      `sandbox faults, money-moving operations (bank without externalID de-duplication): ${results.length} operations under ${OP_FAULTS.length} fault kinds + ${STATUS_FAULTS.length} status-check faults -> ` +
        `bank calls per operation ${notOnce.length ? 'WRONG' : '= 1'}; ${summary}`,
      notOnce.length + wrong.length === 0,
      { perKind, notOnce, wrong },
    );
    expect(notOnce).toEqual([]);
    expect(wrong).toEqual([]);
  }, 600_000);
});
