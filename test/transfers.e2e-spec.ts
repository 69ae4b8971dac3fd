import type { EntityManager } from 'typeorm';
import { DomainEvent, DomainEvents } from '../src/common/events/domain-events.service';
import { ReconciliationRegistry } from '../src/modules/status/reconciliation-registry.service';
import type { ReconciliationQueue } from '../src/modules/status/reconciliation-queue.interface';
import { api } from './setup/api';
import { CARDS, findCardData, paymentBody, transferBody, uniqueAccount } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

const RECEIVER_PAN = '4111111111111111';

describe('P2P transfers (e2e, over HTTP against the sandbox)', () => {
  let t: TestApp;
  let queue: ReconciliationQueue;
  // what the outbox would see: events and the transfer row as the event's own transaction sees it
  const recorded: { event: DomainEvent; statusInTx: string }[] = [];

  beforeAll(async () => {
    // the SDK's path (configurable; the default is seed 003's /payments/cards/auth, see bank-truth-p2p)
    t = await startTestApp({ env: { EPAY_TIMEOUT_MS: '1500', P2P_TRANSFER_PATH: '/p2p/transfer' } });
    t.app.get(DomainEvents).register({
      record: async (m: EntityManager, event: DomainEvent) => {
        const [row] = await m.query(`SELECT status FROM transfers WHERE id = $1`, [event.aggregateId]);
        recorded.push({ event, statusInTx: row?.status });
      },
    });
    queue = t.app
      .get(ReconciliationRegistry)
      .all()
      .find((q) => q.name === 'transfers')!;
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    t.sandbox.control.clearFaults();
  });

  const makeDue = (id: string) =>
    t.dataSource.query(`UPDATE transfers SET next_check_at = now() - interval '1 second' WHERE id = $1`, [id]);

  it('moves money card to card: decimals to the bank, minor units here, masks only', async () => {
    const body = transferBody();
    const res = await api(t).post('/v1/transfers', body).expect(201);
    expect(res.body).toMatchObject({
      status: 'charged',
      amount: 250075,
      currency: 'KZT',
      fee: 0,
      accountId: body.accountId,
      sender: { type: 'card', mask: '440563...5096', cardType: 'VISA', savedCardId: null },
      receiver: { type: 'card', mask: '411111...1111', cardType: 'VISA', savedCardId: null },
      failure: null,
      needsAttention: false,
    });
    expect(res.body.orderId).toMatch(/^\d{9,15}$/);
    expect(res.body.reference).toMatch(/^\d{12}$/);
    const bank = t.sandbox.control.getTransfer(res.body.orderId)!;
    expect(bank.statusName).toBe('CHARGE');
    expect(bank.amount).toBe(2500.75);
    expect(bank.endpoint).toMatch(/\/p2p\/transfer$/);

    const again = await api(t).get(`/v1/transfers/${res.body.id}`).expect(200);
    // the creation answer alone carries the client secret
    const { clientSecret, ...created } = res.body as { clientSecret: string };
    expect(clientSecret).toMatch(new RegExp(`^${res.body.id}_secret_[\\w-]{43}$`));
    expect(again.body).toEqual(created);
    const events = await t.dataSource.query(
      `SELECT from_status, to_status, source FROM transfer_events WHERE transfer_id = $1 ORDER BY created_at`,
      [res.body.id],
    );
    expect(events).toEqual([
      { from_status: null, to_status: 'created', source: 'api' },
      { from_status: 'created', to_status: 'charged', source: 'api' },
    ]);
    const succeeded = recorded.filter((r) => r.event.aggregateId === res.body.id);
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]).toMatchObject({
      event: { type: 'transfer.succeeded', aggregateType: 'transfer', data: { status: 'charged' } },
      statusInTx: 'charged',
    });
  });

  it('records a decline as failed with the bank reason code and emits transfer.failed', async () => {
    const res = await api(t)
      .post('/v1/transfers', transferBody({ sender: { card: CARDS.insufficientFunds } }))
      .expect(201);
    expect(res.body.status).toBe('failed');
    expect(res.body.failure).toEqual({ code: 'epay_484', message: 'Insufficient funds' });
    expect(recorded.filter((r) => r.event.aggregateId === res.body.id).map((r) => r.event.type)).toEqual([
      'transfer.failed',
    ]);
  });

  it('no transfer token from the bank: failed at once, the transfer call never made', async () => {
    const before = t.sandbox.control.requestCount('p2p');
    t.sandbox.control.addFault({ path: 'oauth', type: 'http500', times: 3 });
    const res = await api(t).post('/v1/transfers', transferBody()).expect(201);
    expect(res.body).toMatchObject({ status: 'failed', failure: { code: 'GATEWAY_UNAVAILABLE' } });
    expect(t.sandbox.control.requestCount('p2p')).toBe(before);
  });

  it('saves the sender card, sends from it and to a saved card, and keeps saved cards to their account', async () => {
    const accountId = uniqueAccount('p2p-saver');
    const first = await api(t)
      .post('/v1/transfers', transferBody({ accountId, sender: { card: CARDS.approve, save: true } }))
      .expect(201);
    expect(first.body.status).toBe('charged');
    const savedId = first.body.sender.savedCardId;
    expect(savedId).toEqual(expect.any(String));
    const cards = await api(t).get(`/v1/accounts/${accountId}/cards`).expect(200);
    expect(cards.body).toEqual([expect.objectContaining({ id: savedId, mask: '440563...5096' })]);

    const fromSaved = await api(t)
      .post('/v1/transfers', transferBody({ accountId, amount: 5000, sender: { cardId: savedId } }))
      .expect(201);
    expect(fromSaved.body).toMatchObject({
      status: 'charged',
      sender: { type: 'saved_card', savedCardId: savedId, mask: '440563...5096' },
    });
    expect(t.sandbox.control.getTransfer(fromSaved.body.orderId)!.senderTransferType).toBe('TYPECARDID');

    const toSaved = await api(t)
      .post(
        '/v1/transfers',
        transferBody({ accountId, amount: 700, sender: { card: CARDS.approveAny }, receiver: { cardId: savedId } }),
      )
      .expect(201);
    expect(toSaved.body).toMatchObject({ status: 'charged', receiver: { type: 'saved_card', savedCardId: savedId } });
    expect(t.sandbox.control.getTransfer(toSaved.body.orderId)!.receiverTransferType).toBe('TYPECARDID');

    const before = t.sandbox.control.requestCount('p2p');
    const stranger = await api(t)
      .post('/v1/transfers', transferBody({ accountId: 'someone-else', sender: { cardId: savedId } }))
      .expect(404);
    expect(stranger.body.error).toMatchObject({
      code: 'CARD_NOT_FOUND',
      details: [{ field: 'sender.cardId', message: 'not found for accountId' }],
    });
    const strangerReceiver = await api(t)
      .post('/v1/transfers', transferBody({ accountId: 'someone-else', receiver: { cardId: savedId } }))
      .expect(404);
    expect(strangerReceiver.body.error.details[0].field).toBe('receiver.cardId');
    expect(t.sandbox.control.requestCount('p2p')).toBe(before);
  });

  it('names the field of bad input, nested, and neither stores nor sends anything', async () => {
    const before = t.sandbox.control.requestCount('p2p');
    const [{ count: rowsBefore }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM transfers`);
    const cases: [Record<string, unknown>, number, string][] = [
      [transferBody({ sender: undefined }), 400, 'sender'],
      [transferBody({ sender: { card: { ...CARDS.approve, number: '4405-abc' } } }), 400, 'sender.card.number'],
      [transferBody({ sender: { card: { ...CARDS.approve, number: '4405639704015097' } } }), 400, 'sender.card.number'],
      [transferBody({ sender: { card: { ...CARDS.insufficientFunds, expYear: 2021 } } }), 400, 'sender.card.expYear'],
      [transferBody({ sender: { card: { ...CARDS.approve, cvc: '12' } } }), 400, 'sender.card.cvc'],
      [transferBody({ receiver: { card: { number: '4111111111111112' } } }), 400, 'receiver.card.number'],
      [transferBody({ receiver: { card: { number: CARDS.approve.number } } }), 400, 'receiver.card.number'],
      [
        transferBody({ sender: { card: CARDS.approve, cardId: '6f1c1f8e-6a3e-4a59-9d43-1b5c7a1b2c3d' } }),
        400,
        'sender',
      ],
      [transferBody({ receiver: {} }), 400, 'receiver'],
      [transferBody({ sender: { cardId: '6f1c1f8e-6a3e-4a59-9d43-1b5c7a1b2c3d', save: true } }), 400, 'sender.save'],
      [transferBody({ amount: 10.5 }), 400, 'amount'],
      [transferBody({ orderId: '12345' }), 400, 'orderId'],
      [transferBody({ sender: { card: CARDS.approve, pin: '1234' } }), 400, 'sender.pin'],
    ];
    for (const [body, status, field] of cases) {
      const res = await api(t).post('/v1/transfers', body).expect(status);
      const fields = (res.body.error.details as { field?: string }[]).map((d) => d.field);
      expect(fields).toContain(field);
      // never echoes what it refused
      expect(findCardData(JSON.stringify(res.body))).toEqual([]);
    }
    expect(t.sandbox.control.requestCount('p2p')).toBe(before);
    const [{ count: rowsAfter }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM transfers`);
    expect(rowsAfter).toBe(rowsBefore);
  });

  it('keeps order ids unique with payment invoice ids, including their last six digits', async () => {
    const first = await api(t)
      .post('/v1/transfers', transferBody({ orderId: '710000654321' }))
      .expect(201);
    expect(first.body.orderId).toBe('710000654321');
    const dup = await api(t)
      .post('/v1/transfers', transferBody({ orderId: '720000654321' }))
      .expect(409);
    expect(dup.body.error).toMatchObject({ code: 'INVOICE_ID_TAKEN', details: [{ field: 'orderId' }] });
    await api(t)
      .post('/v1/payments/card', paymentBody({ invoiceId: '730000654321', card: CARDS.approveAny }))
      .expect(409);
  });

  describe('ambiguous outcomes become unknown and are reconciled by the P2P status check, never retried', () => {
    it.each(['commit-then-timeout', 'commit-then-500'] as const)(
      '%s: the bank moved the money → unknown → charged',
      async (type) => {
        const before = t.sandbox.control.requestCount('p2p');
        t.sandbox.control.addFault({ path: 'p2p', type });
        const res = await api(t).post('/v1/transfers', transferBody()).expect(201);
        expect(res.body.status).toBe('unknown');
        expect(t.sandbox.control.requestCount('p2p')).toBe(before + 1);
        const refreshed = await api(t).get(`/v1/transfers/${res.body.id}?refresh=true`).expect(200);
        expect(refreshed.body).toMatchObject({
          status: 'charged',
          epayTransactionId: expect.any(String),
          reference: expect.stringMatching(/^\d{12}$/),
        });
        expect(t.sandbox.control.requestCount('p2p')).toBe(before + 1);
      },
    );

    it('the transfers reconciliation queue claims a due transfer, settles it and releases it', async () => {
      t.sandbox.control.addFault({ path: 'p2p', type: 'commit-then-timeout' });
      const res = await api(t).post('/v1/transfers', transferBody()).expect(201);
      expect(res.body.status).toBe('unknown');
      await makeDue(res.body.id);
      expect(await queue.oldestDueLagSeconds()).toBeGreaterThan(0);
      const claimed = await queue.claimDue(100, 60_000);
      expect(claimed).toContain(res.body.id);
      // a claimed transfer is not handed out twice while its lease lasts
      expect(await queue.claimDue(100, 60_000)).not.toContain(res.body.id);
      expect(await queue.reconcile(res.body.id)).toBe('changed');
      const [row] = await t.dataSource.query(
        `SELECT status, lease_until, next_check_at, last_checked_at FROM transfers WHERE id = $1`,
        [res.body.id],
      );
      expect(row).toMatchObject({ status: 'charged', lease_until: null, next_check_at: null });
      expect(row.last_checked_at).not.toBeNull();
      const sources = await t.dataSource.query(
        `SELECT source FROM transfer_events WHERE transfer_id = $1 ORDER BY created_at`,
        [res.body.id],
      );
      expect(sources.map((s: { source: string }) => s.source)).toEqual(['api', 'api', 'poller']);
    });

    it('a transfer the bank never saw stays unknown, is rescheduled with backoff, and only fails after the not-found window', async () => {
      t.sandbox.control.addFault({ path: 'p2p', type: 'reset' });
      const res = await api(t).post('/v1/transfers', transferBody()).expect(201);
      expect(res.body.status).toBe('unknown');
      await makeDue(res.body.id);
      expect(await queue.claimDue(100, 60_000)).toContain(res.body.id);
      expect(await queue.reconcile(res.body.id)).toBe('unchanged');
      const [row] = await t.dataSource.query(
        `SELECT status, check_attempts, lease_until, extract(epoch from next_check_at - now())::int AS wait FROM transfers WHERE id = $1`,
        [res.body.id],
      );
      expect(row).toMatchObject({ status: 'unknown', check_attempts: 1, lease_until: null });
      expect(row.wait).toBeGreaterThan(30);

      // 15 minutes later the bank still has nothing: it never arrived
      await t.dataSource.query(`UPDATE transfers SET created_at = now() - interval '16 minutes' WHERE id = $1`, [
        res.body.id,
      ]);
      await makeDue(res.body.id);
      await queue.claimDue(100, 60_000);
      expect(await queue.reconcile(res.body.id)).toBe('changed');
      const failed = await api(t).get(`/v1/transfers/${res.body.id}`).expect(200);
      expect(failed.body).toMatchObject({ status: 'failed', failure: { code: 'not_found_at_bank' } });
    });

    it('flags a transfer still unsettled past the age limit for a human and stops polling it', async () => {
      t.sandbox.control.addFault({ path: 'p2p', type: 'timeout' });
      const res = await api(t).post('/v1/transfers', transferBody()).expect(201);
      expect(res.body.status).toBe('unknown');
      t.sandbox.control.setStatusOverride(res.body.orderId, '107');
      try {
        await t.dataSource.query(`UPDATE transfers SET created_at = now() - interval '100 hours' WHERE id = $1`, [
          res.body.id,
        ]);
        await makeDue(res.body.id);
        await queue.claimDue(100, 60_000);
        // 107 "in progress" for a transfer we are unsure about: the bank has it, so it is at least pending
        expect(await queue.reconcile(res.body.id)).toBe('changed');
        await makeDue(res.body.id);
        await queue.claimDue(100, 60_000);
        expect(await queue.reconcile(res.body.id)).toBe('unchanged');
        const [row] = await t.dataSource.query(
          `SELECT status, needs_attention, attention_reason, next_check_at FROM transfers WHERE id = $1`,
          [res.body.id],
        );
        expect(row).toMatchObject({ status: 'pending', needs_attention: true, next_check_at: null });
        expect(row.attention_reason).toMatch(/still pending after/);
      } finally {
        t.sandbox.control.setStatusOverride(res.body.orderId, null);
      }
    });
  });

  describe('idempotency', () => {
    it('same key and body: one bank call, the same answer replayed, the transfer linked to the key', async () => {
      const body = transferBody();
      const before = t.sandbox.control.requestCount('p2p');
      const a = await api(t).post('/v1/transfers', body, { 'Idempotency-Key': 'p2p-same-1' }).expect(201);
      const b = await api(t).post('/v1/transfers', body, { 'Idempotency-Key': 'p2p-same-1' }).expect(201);
      expect(b.headers['idempotent-replayed']).toBe('true');
      expect(b.body).toEqual(a.body);
      expect(t.sandbox.control.requestCount('p2p')).toBe(before + 1);
      const [record] = await t.dataSource.query(
        `SELECT resource_type, resource_id FROM idempotency_keys WHERE key = 'p2p-same-1'`,
      );
      expect(record).toEqual({ resource_type: 'transfer', resource_id: a.body.id });
      await api(t)
        .post('/v1/transfers', { ...body, amount: 1 }, { 'Idempotency-Key': 'p2p-same-1' })
        .expect(422);
    });

    it('a retry after the first attempt died mid-request answers with the transfer as it is now', async () => {
      const body = transferBody();
      const a = await api(t).post('/v1/transfers', body, { 'Idempotency-Key': 'p2p-orphan-1' }).expect(201);
      // as if the process had died after creating the transfer, before storing the answer
      await t.dataSource.query(
        `UPDATE idempotency_keys SET state = 'in_progress', response_body = NULL, locked_until = now() - interval '1 second' WHERE key = 'p2p-orphan-1'`,
      );
      const before = t.sandbox.control.requestCount('p2p');
      const b = await api(t).post('/v1/transfers', body, { 'Idempotency-Key': 'p2p-orphan-1' }).expect(200);
      expect(b.headers['idempotent-replayed']).toBe('true');
      expect(b.body).toMatchObject({ id: a.body.id, status: 'charged' });
      expect(t.sandbox.control.requestCount('p2p')).toBe(before);
    });
  });

  it('uses P2P_TRANSFER_PATH (the seed S3 URL works too)', async () => {
    const other = await startTestApp({ sandbox: t.sandbox, env: { P2P_TRANSFER_PATH: '/payments/cards/auth' } });
    try {
      const before = t.sandbox.control.requestCount('cards/auth');
      // its own database numbers order ids from the start again; the shared sandbox has seen those
      const orderId = `9${Date.now()}`.slice(0, 14);
      const res = await api(other).post('/v1/transfers', transferBody({ orderId })).expect(201);
      expect(res.body.status).toBe('charged');
      expect(t.sandbox.control.requestCount('cards/auth')).toBe(before + 1);
      expect(t.sandbox.control.getTransfer(res.body.orderId)!.endpoint).toMatch(/\/payments\/cards\/auth$/);
    } finally {
      await other.close();
    }
  });

  it('stores exchanges redacted and leaves no card numbers, CVCs, secrets or tokens in logs or the database', async () => {
    const res = await api(t)
      .post('/v1/transfers', transferBody({ sender: { card: CARDS.approve } }))
      .expect(201);
    const rows: { operation: string; request_body: unknown }[] = await t.dataSource.query(
      `SELECT operation, request_body FROM gateway_exchanges WHERE transfer_id = $1 ORDER BY created_at`,
      [res.body.id],
    );
    expect(rows.map((r) => r.operation)).toEqual(['token', 'p2p-transfer']);
    const sent = JSON.stringify(rows[1].request_body);
    expect(sent).toContain('"cardCred":"[REDACTED]"');
    expect(sent).toContain('"cvc":"[REDACTED]"');
    expect(sent).toContain('"expire":"[REDACTED]"');

    await new Promise((r) => setTimeout(r, 300));
    const logs = t.readLogs();
    const dump = await t.dumpDatabase();
    expect(logs.length).toBeGreaterThan(1000);
    for (const text of [logs, dump]) {
      expect(findCardData(text)).toEqual([]);
      expect(text).not.toContain(RECEIVER_PAN);
      expect(text).not.toContain('yF587AV9Ms94qN2QShFzVR3vFnWkhjbAK3sG');
      for (const token of t.sandbox.state.tokens.keys()) expect(text).not.toContain(token);
    }
  });
});
