import { encryptCryptogram } from '../src/sandbox';
import { api } from './setup/api';
import { CARDS, findCardData, paymentBody, uniqueAccount } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

describe('card payments (e2e, over HTTP against the sandbox)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { EPAY_TIMEOUT_MS: '1500' } });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    t.sandbox.control.clearFaults();
    t.sandbox.control.setCaptureMode('CHARGE');
    t.sandbox.control.setPostLink({ dropRate: 0 });
  });

  it('charges a card: the bank gets a decimal amount, we keep minor units', async () => {
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ amount: 10050, card: CARDS.approve }))
      .expect(201);
    expect(res.body).toMatchObject({
      status: 'charged',
      amount: 10050,
      capturedAmount: 10050,
      currency: 'KZT',
      method: 'card',
      failure: null,
      nextAction: null,
      card: { mask: expect.stringMatching(/5096$/), last4: '5096' },
    });
    expect(res.body.reference).toMatch(/^\d{12}$/);
    const tx = t.sandbox.control.getTransaction(res.body.invoiceId)!;
    expect(tx.statusName).toBe('CHARGE');
    expect(tx.amount).toBe(100.5); // ePay speaks decimals: 10050 tiyn = 100.50 KZT
    const again = await api(t).get(`/v1/payments/${res.body.id}`).expect(200);
    expect(again.body.status).toBe('charged');
  });

  it('authorises on a two-step terminal', async () => {
    t.sandbox.control.setCaptureMode('AUTH');
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
      .expect(201);
    expect(res.body.status).toBe('authorized');
    expect(res.body.capturedAmount).toBe(0);
  });

  it('records a decline as failed with the bank reason code', async () => {
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.insufficientFunds }))
      .expect(201);
    expect(res.body.status).toBe('failed');
    expect(res.body.failure).toEqual({ code: 'epay_484', message: 'Insufficient funds' });
  });

  it('accepts a cryptogram the client built with our public key endpoint', async () => {
    const key = await api(t).get('/v1/crypto/public-key').expect(200);
    expect(key.body).toMatchObject({
      algorithm: 'RSA PKCS#1 v1.5',
      bits: 4096,
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const cryptogram = encryptCryptogram(key.body.pem, {
      hpan: CARDS.approveAny.number,
      expDate: '1230',
      cvc: '123',
      terminalId: key.body.terminalId,
    });
    const res = await api(t).post('/v1/payments/card', paymentBody({ cryptogram })).expect(201);
    expect(res.body.status).toBe('charged');
  });

  it('refuses bad cards before anything is stored or sent', async () => {
    const before = t.sandbox.control.requestCount('cryptopay');
    const luhn = await api(t)
      .post('/v1/payments/card', paymentBody({ card: { ...CARDS.approveAny, number: '4111111111111112' } }))
      .expect(400);
    expect(luhn.body.error.details).toEqual([{ field: 'card.number', message: 'card number fails the Luhn check' }]);
    const expired = await api(t)
      .post('/v1/payments/card', paymentBody({ card: { ...CARDS.approveAny, expYear: 2021 } }))
      .expect(400);
    expect(expired.body.error.details[0].field).toBe('card.expYear');
    const both = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny, cryptogram: 'QUJDREVGR0hJSktMTU5PUA==' }))
      .expect(400);
    expect(both.body.error.details[0].field).toBe('card');
    await api(t).post('/v1/payments/card', paymentBody({})).expect(400);
    expect(t.sandbox.control.requestCount('cryptopay')).toBe(before);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM payments WHERE failure_code = 'INVALID_CARD'`,
    );
    expect(count).toBe(0);
  });

  it('keeps invoice ids unique, including their last six digits', async () => {
    const first = await api(t)
      .post('/v1/payments/card', paymentBody({ invoiceId: '700000123456', card: CARDS.approveAny }))
      .expect(201);
    expect(first.body.invoiceId).toBe('700000123456');
    const dup = await api(t)
      .post('/v1/payments/card', paymentBody({ invoiceId: '700000123456', card: CARDS.approveAny }))
      .expect(409);
    expect(dup.body.error.code).toBe('INVOICE_ID_TAKEN');
    await api(t)
      .post('/v1/payments/card', paymentBody({ invoiceId: '800000123456', card: CARDS.approveAny }))
      .expect(409);
    await api(t)
      .post('/v1/payments/card', paymentBody({ invoiceId: '12345', card: CARDS.approveAny }))
      .expect(400);
    const generated = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
      .expect(201);
    expect(generated.body.invoiceId).toMatch(/^\d{9,15}$/);
  });

  it('saves a card, pays with it, refuses it for another account, and deactivates it', async () => {
    const accountId = uniqueAccount('saver');
    const first = await api(t)
      .post('/v1/payments/card', paymentBody({ accountId, saveCard: true, card: CARDS.approve }))
      .expect(201);
    expect(first.body.savedCardId).toEqual(expect.any(String));
    // the same card saved twice stays one card
    await api(t)
      .post('/v1/payments/card', paymentBody({ accountId, saveCard: true, card: CARDS.approve }))
      .expect(201);
    const cards = await api(t).get(`/v1/accounts/${accountId}/cards`).expect(200);
    expect(cards.body).toHaveLength(1);
    expect(cards.body[0]).toMatchObject({ id: first.body.savedCardId, mask: expect.stringMatching(/5096$/) });

    const paid = await api(t)
      .post('/v1/payments/saved-card', paymentBody({ accountId, cardId: cards.body[0].id, amount: 5000 }))
      .expect(201);
    expect(paid.body).toMatchObject({ status: 'charged', method: 'saved_card', savedCardId: cards.body[0].id });
    const tx = t.sandbox.control.getTransaction(paid.body.invoiceId)!;
    expect(tx.statusName).toBe('CHARGE');

    const stranger = await api(t)
      .post('/v1/payments/saved-card', paymentBody({ accountId: 'someone-else', cardId: cards.body[0].id }))
      .expect(404);
    expect(stranger.body.error.code).toBe('CARD_NOT_FOUND');

    await api(t).del(`/v1/accounts/${accountId}/cards/${cards.body[0].id}`).expect(200);
    expect(t.sandbox.control.requestCount('card-deactivate')).toBeGreaterThanOrEqual(1);
    await api(t).get(`/v1/accounts/${accountId}/cards`).expect(200, []);
    await api(t)
      .post('/v1/payments/saved-card', paymentBody({ accountId, cardId: cards.body[0].id }))
      .expect(404);
  });

  it('answers 3-D Secure with a redirect action to our page', async () => {
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.threeDsAny }))
      .expect(201);
    expect(res.body.status).toBe('requires_3ds');
    expect(res.body.nextAction).toEqual({ type: 'redirect', url: `${t.url}/v1/three-ds/${res.body.id}` });
  });

  describe('ambiguous outcomes become unknown and are reconciled by a status check, never retried', () => {
    it.each([
      { type: 'commit-then-timeout', why: 'the bank charged but never answered' },
      { type: 'commit-then-500', why: 'the bank charged and answered 500' },
    ] as const)('$type: $why', async ({ type }) => {
      // no postLink, so only our own status check can learn the outcome (the webhook spec covers the other way)
      t.sandbox.control.setPostLink({ dropRate: 1 });
      const before = t.sandbox.control.requestCount('cryptopay');
      t.sandbox.control.addFault({ path: 'cryptopay', type });
      const res = await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
        .expect(201);
      expect(res.body.status).toBe('unknown');
      expect(t.sandbox.control.requestCount('cryptopay')).toBe(before + 1);
      const refreshed = await api(t).get(`/v1/payments/${res.body.id}?refresh=true`).expect(200);
      expect(refreshed.body.status).toBe('charged');
      expect(refreshed.body.capturedAmount).toBe(refreshed.body.amount);
    });

    it.each(['malformed', 'http502', 'reset', 'timeout'] as const)(
      '%s without processing → unknown, then failed once the bank says it has nothing',
      async (type) => {
        t.sandbox.control.addFault({ path: 'cryptopay', type });
        const res = await api(t)
          .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
          .expect(201);
        expect(res.body.status).toBe('unknown');
        // the bank does not know the invoice yet: a status check must not guess
        const refreshed = await api(t).get(`/v1/payments/${res.body.id}?refresh=true`).expect(200);
        expect(refreshed.body.status).toBe('unknown');
      },
    );

    it('a 454 "amount may be blocked" stays unknown until the bank settles it', async () => {
      t.sandbox.control.setPendingStatusChecks(1);
      const res = await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.pending454 }))
        .expect(201);
      expect(['unknown', 'pending']).toContain(res.body.status);
      let status = res.body.status;
      for (let i = 0; i < 5 && status !== 'charged'; i++) {
        status = (await api(t).get(`/v1/payments/${res.body.id}?refresh=true`).expect(200)).body.status;
      }
      expect(status).toBe('charged');
    });
  });

  describe('idempotency', () => {
    it('same key and body: one bank call, the same answer replayed', async () => {
      const body = paymentBody({ card: CARDS.approveAny });
      const before = t.sandbox.control.requestCount('cryptopay');
      const a = await api(t).post('/v1/payments/card', body, { 'Idempotency-Key': 'k-same-1' }).expect(201);
      const b = await api(t).post('/v1/payments/card', body, { 'Idempotency-Key': 'k-same-1' }).expect(201);
      expect(b.headers['idempotent-replayed']).toBe('true');
      expect(b.body).toEqual(a.body);
      expect(t.sandbox.control.requestCount('cryptopay')).toBe(before + 1);
    });

    it('same key, different body: 422', async () => {
      await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }), { 'Idempotency-Key': 'k-diff-1' })
        .expect(201);
      const res = await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny, amount: 777 }), {
          'Idempotency-Key': 'k-diff-1',
        })
        .expect(422);
      expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('50 concurrent requests with one key make one bank call and return one payment', async () => {
      t.sandbox.control.setLatency(300);
      try {
        const body = paymentBody({ card: CARDS.approveAny });
        const before = t.sandbox.control.requestCount('cryptopay');
        const results = await Promise.all(
          Array.from({ length: 50 }, () => api(t).post('/v1/payments/card', body, { 'Idempotency-Key': 'k-race-1' })),
        );
        const ids = new Set(results.map((r) => r.body.id));
        expect(results.every((r) => r.status === 201)).toBe(true);
        expect(ids.size).toBe(1);
        expect(t.sandbox.control.requestCount('cryptopay')).toBe(before + 1);
      } finally {
        t.sandbox.control.setLatency(0);
      }
    });
  });

  it('records every gateway exchange, redacted', async () => {
    // no postLink: its confirmation would add a status check to this payment's exchanges
    t.sandbox.control.setPostLink({ dropRate: 1 });
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approve }))
      .expect(201);
    const rows: { operation: string; outcome: string; request_body: unknown; latency_ms: number }[] =
      await t.dataSource.query(
        `SELECT operation, outcome, request_body, latency_ms FROM gateway_exchanges WHERE payment_id = $1 ORDER BY created_at`,
        [res.body.id],
      );
    expect(rows.map((r) => r.operation)).toEqual(['token', 'cryptopay']);
    expect(rows.every((r) => r.outcome === 'ok')).toBe(true);
    const text = JSON.stringify(rows);
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain('yF587AV9Ms94qN2QShFzVR3vFnWkhjbAK3sG');
  });

  it('leaves no card data, secrets or tokens in the logs or the database', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const logs = t.readLogs();
    const dump = await t.dumpDatabase();
    expect(logs.length).toBeGreaterThan(1000);
    expect(findCardData(logs)).toEqual([]);
    expect(findCardData(dump)).toEqual([]);
    for (const secret of ['yF587AV9Ms94qN2QShFzVR3vFnWkhjbAK3sG', t.clientKey, t.adminKey]) {
      expect(logs).not.toContain(secret);
      expect(dump).not.toContain(secret);
    }
    const tokens = [...t.sandbox.state.tokens.keys()];
    expect(tokens.length).toBeGreaterThan(5);
    for (const token of tokens) {
      expect(logs).not.toContain(token);
      expect(dump).not.toContain(token);
    }
  });
});
