import request from 'supertest';
import { AdminRole, ApiKeyKind } from '../src/api-keys/api-key-kind.enum';
import { hashApiKey } from '../src/api-keys/api-keys.service';
import { api, waitFor } from './setup/api';
import { CARDS, paymentBody, uniqueAccount } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

const RECEIVER_PAN = '4111111111111111';

// The attacks of the trust-model issue, each of which used to succeed with the one "client" key a
// company put in its web pages. Every one must now be refused; what each key is for must still work.
describe('trust model: what a key that may sit in a web page can and cannot do', () => {
  let t: TestApp;
  const victim = uniqueAccount('victim');
  const customer = uniqueAccount('customer');
  let victimCardId: string;
  let customerCardId: string;
  let victimPaymentId: string;

  async function saveCard(accountId: string, card: object): Promise<{ paymentId: string; cardId: string }> {
    const paid = await api(t)
      .post('/v1/payments/card', paymentBody({ accountId, saveCard: true, card }))
      .expect(201);
    expect(paid.body.status).toBe('charged');
    const cards = await api(t).get(`/v1/accounts/${accountId}/cards`).expect(200);
    expect(cards.body).toHaveLength(1);
    return { paymentId: paid.body.id as string, cardId: cards.body[0].id as string };
  }

  beforeAll(async () => {
    t = await startTestApp();
    ({ paymentId: victimPaymentId, cardId: victimCardId } = await saveCard(victim, CARDS.approve));
    ({ cardId: customerCardId } = await saveCard(customer, CARDS.approveAny));
  });
  afterAll(() => t?.close());

  // calls that move money or touch cards (status checks that postLinks trigger in the background do not count)
  const MONEY_ROUTES = [
    'cryptopay',
    'cards/auth',
    'p2p',
    'confirm',
    'charge',
    'cancel',
    'refund',
    'card-deactivate',
  ] as const;
  const bankCalls = () => MONEY_ROUTES.reduce((n, r) => n + t.sandbox.control.requestCount(r), 0);

  describe('publishable key (pk_test_…)', () => {
    it('reads no payment it cannot prove: no header, a wrong secret and another payment’s secret are 403', async () => {
      const pk = api(t, t.publishableKey);
      const none = await pk.get(`/v1/payments/${victimPaymentId}`).expect(403);
      expect(none.body.error.details).toEqual([{ field: 'X-Client-Secret', message: expect.any(String) }]);
      await pk.get(`/v1/payments/${victimPaymentId}`).set('X-Client-Secret', 'guess').expect(403);
      const own = await pk.post('/v1/payments/card', paymentBody({ card: CARDS.approve })).expect(201);
      await pk.get(`/v1/payments/${victimPaymentId}`).set('X-Client-Secret', own.body.clientSecret).expect(403);
      const mine = await pk.get(`/v1/payments/${own.body.id}`).set('X-Client-Secret', own.body.clientSecret);
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({ id: own.body.id, status: 'charged' });
      expect(mine.body.clientSecret).toBeUndefined();
    });

    it('cannot list, use or delete saved cards, save one, or start a transfer', async () => {
      const pk = api(t, t.publishableKey);
      const before = bankCalls();
      await pk.get(`/v1/accounts/${victim}/cards`).expect(403);
      await pk
        .post('/v1/payments/saved-card', paymentBody({ accountId: victim, cardId: victimCardId, amount: 99900 }))
        .expect(403);
      await pk.del(`/v1/accounts/${victim}/cards/${victimCardId}`).expect(403);
      const save = await pk
        .post('/v1/payments/card', paymentBody({ accountId: victim, card: CARDS.approveAny, saveCard: true }))
        .expect(403);
      expect(save.body.error.details).toEqual([{ field: 'saveCard', message: expect.any(String) }]);
      await pk
        .post('/v1/transfers', {
          ...paymentBody({ accountId: victim }),
          sender: { cardId: victimCardId },
          receiver: { card: { number: RECEIVER_PAN } },
        })
        .expect(403);
      await pk.get('/v1/admin/payments').expect(403);
      await pk.post('/v1/customer-sessions', { accountId: victim }).expect(403);
      expect(bankCalls()).toBe(before);
      const cards = await api(t).get(`/v1/accounts/${victim}/cards`).expect(200);
      expect(cards.body.map((c: { id: string }) => c.id)).toEqual([victimCardId]);
    });

    it('starts new-card payments and reads checkout configuration', async () => {
      const pk = api(t, t.publishableKey);
      await pk.get('/v1/crypto/public-key').expect(200);
      await pk.get('/v1/wallets/google-pay/config').expect(200);
      const me = await pk.get('/v1/me').expect(200);
      expect(me.body).toMatchObject({ kind: 'publishable', livemode: false });
      expect(t.publishableKey).toMatch(/^pk_test_/);
    });
  });

  describe('customer session (cs_test_…)', () => {
    async function session(accountId: string): Promise<string> {
      const res = await api(t).post('/v1/customer-sessions', { accountId }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        key: expect.stringMatching(/^cs_test_/),
        accountId,
        expiresAt: expect.any(String),
      });
      const minutes = (Date.parse(res.body.expiresAt) - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(14);
      expect(minutes).toBeLessThanOrEqual(15);
      return res.body.key as string;
    }

    it("is refused with 403 for any other account: list, pay, delete, transfer from a stranger's card", async () => {
      const cs = api(t, await session(customer));
      const before = bankCalls();
      await cs.get(`/v1/accounts/${victim}/cards`).expect(403);
      const pay = await cs
        .post('/v1/payments/saved-card', paymentBody({ accountId: victim, cardId: victimCardId, amount: 99900 }))
        .expect(403);
      expect(pay.body.error.details).toEqual([{ field: 'accountId', message: expect.any(String) }]);
      // its own account with the stranger's card id: that card is not this account's
      await cs
        .post('/v1/payments/saved-card', paymentBody({ accountId: customer, cardId: victimCardId, amount: 99900 }))
        .expect(404);
      await cs.del(`/v1/accounts/${victim}/cards/${victimCardId}`).expect(403);
      await cs.del(`/v1/accounts/${customer}/cards/${victimCardId}`).expect(404);
      await cs
        .post('/v1/transfers', {
          ...paymentBody({ accountId: victim }),
          sender: { cardId: victimCardId },
          receiver: { card: { number: RECEIVER_PAN } },
        })
        .expect(403);
      await cs
        .post('/v1/transfers', {
          ...paymentBody({ accountId: customer }),
          sender: { cardId: victimCardId },
          receiver: { card: { number: RECEIVER_PAN } },
        })
        .expect(404);
      await cs.get(`/v1/payments/${victimPaymentId}`).expect(403);
      await cs.post('/v1/customer-sessions', { accountId: victim }).expect(403);
      expect(bankCalls()).toBe(before);
      const victimCards = await api(t).get(`/v1/accounts/${victim}/cards`).expect(200);
      expect(victimCards.body).toHaveLength(1);
      const victimPayments = await t.dataSource.query(`SELECT count(*)::int AS n FROM payments WHERE account_id = $1`, [
        victim,
      ]);
      expect(victimPayments[0].n).toBe(1);
    });

    it("lists, pays with and transfers from its own account's saved card, and reads the results back", async () => {
      const cs = api(t, await session(customer));
      const cards = await cs.get(`/v1/accounts/${customer}/cards`).expect(200);
      expect(cards.body.map((c: { id: string }) => c.id)).toEqual([customerCardId]);
      const paid = await cs
        .post('/v1/payments/saved-card', paymentBody({ accountId: customer, cardId: customerCardId, amount: 5000 }))
        .expect(201);
      expect(paid.body.status).toBe('charged');
      await cs.get(`/v1/payments/${paid.body.id}`).set('X-Client-Secret', paid.body.clientSecret).expect(200);
      const sent = await cs
        .post('/v1/transfers', {
          ...paymentBody({ accountId: customer, amount: 2000 }),
          sender: { cardId: customerCardId },
          receiver: { card: { number: RECEIVER_PAN } },
        })
        .expect(201);
      expect(sent.body.status).toBe('charged');
      await cs.get(`/v1/transfers/${sent.body.id}`).expect(403);
      await cs.get(`/v1/transfers/${sent.body.id}`).set('X-Client-Secret', sent.body.clientSecret).expect(200);
      // a payment's secret does not open a transfer with the same id space
      await cs.get(`/v1/transfers/${sent.body.id}`).set('X-Client-Secret', paid.body.clientSecret).expect(403);
      const rows = await t.dataSource.query(
        `SELECT (SELECT created_by_kind FROM payments WHERE id = $1) AS payment,
                (SELECT created_by_kind FROM transfers WHERE id = $2) AS transfer,
                (SELECT created_by_kind FROM saved_cards WHERE id = $3) AS card`,
        [paid.body.id, sent.body.id, customerCardId],
      );
      expect(rows[0]).toEqual({ payment: 'customer_session', transfer: 'customer_session', card: 'secret' });
    });

    it('dies when it expires, is revoked, or its secret key is revoked', async () => {
      const expired = await session(customer);
      await t.dataSource.query(
        `UPDATE customer_sessions SET expires_at = now() - interval '1 second' WHERE key_hash = $1`,
        [hashApiKey(expired)],
      );
      await api(t, expired).get(`/v1/accounts/${customer}/cards`).expect(401);

      const revoked = await api(t).post('/v1/customer-sessions', { accountId: customer }).expect(201);
      await api(t, revoked.body.key).get(`/v1/accounts/${customer}/cards`).expect(200);
      await api(t).del(`/v1/customer-sessions/${revoked.body.id}`).expect(204);
      await api(t, revoked.body.key).get(`/v1/accounts/${customer}/cards`).expect(401);

      const server = await t.createKey(ApiKeyKind.SECRET);
      const minted = await api(t, server).post('/v1/customer-sessions', { accountId: customer }).expect(201);
      await api(t, minted.body.key).get('/v1/me').expect(200);
      const keys = await api(t, 'admin').get('/v1/admin/api-keys').expect(200);
      const serverId = (keys.body as { id: string; prefix: string }[]).find((k) => server.startsWith(k.prefix))!.id;
      await api(t, 'admin').del(`/v1/admin/api-keys/${serverId}`).expect(204);
      await api(t, minted.body.key).get('/v1/me').expect(401);
    });

    it('validates accountId like payments do', async () => {
      const bad = await api(t).post('/v1/customer-sessions', { accountId: 'has space' }).expect(400);
      expect(bad.body.error.details[0].field).toBe('accountId');
    });
  });

  describe('admin keys (ak_test_…) by role', () => {
    it('viewer investigates but cannot refund or manage keys; operator refunds; owner manages keys', async () => {
      const viewer = await t.createKey(ApiKeyKind.ADMIN, AdminRole.VIEWER);
      const operator = await t.createKey(ApiKeyKind.ADMIN, AdminRole.OPERATOR);
      expect(viewer).toMatch(/^ak_test_/);
      await api(t, viewer).get(`/v1/admin/payments/${victimPaymentId}`).expect(200);
      await api(t, viewer).get('/v1/admin/refunds').expect(200);
      const refund = { amount: 1000, reason: 'customer asked' };
      await api(t, viewer)
        .post(`/v1/admin/payments/${victimPaymentId}/refund`, refund, { 'Idempotency-Key': 'viewer-1' })
        .expect(403);
      await api(t, viewer).get('/v1/admin/api-keys').expect(403);
      await api(t, operator).post('/v1/admin/api-keys', { name: 'x', kind: 'secret' }).expect(403);
      await api(t, operator).get('/v1/admin/webhook-endpoints').expect(403);
      const done = await api(t, operator)
        .post(`/v1/admin/payments/${victimPaymentId}/refund`, refund, { 'Idempotency-Key': 'operator-1' })
        .expect(201);
      expect(done.body.status).toBe('succeeded');
      // the timeline names the person's key
      const story = await api(t, viewer).get(`/v1/admin/payments/${victimPaymentId}`).expect(200);
      expect(JSON.stringify(story.body)).toContain(`test admin ${AdminRole.OPERATOR}`);
      // a secret key is no back-office key
      await api(t).get('/v1/admin/payments').expect(403);
      // the audit trail names the person's key for every action, with the answer it got
      const audit = await waitFor(async () => {
        const res = await api(t, 'admin').get('/v1/admin/actions').expect(200);
        return (res.body as { route: string }[]).find((a) => a.route === 'POST /v1/admin/payments/:id/refund');
      });
      expect(audit).toMatchObject({
        keyName: `test admin ${AdminRole.OPERATOR}`,
        role: 'operator',
        targetId: victimPaymentId,
        statusCode: 201,
      });
      await api(t, operator).get('/v1/admin/actions').expect(403);

      const created = await api(t, 'admin')
        .post('/v1/admin/api-keys', { name: 'ops person', kind: 'admin', role: 'operator' })
        .expect(201);
      expect(created.body).toMatchObject({ kind: 'admin', role: 'operator', key: expect.stringMatching(/^ak_test_/) });
      await api(t, 'admin').post('/v1/admin/api-keys', { name: 'bad', kind: 'secret', role: 'owner' }).expect(400);
      const pk = await api(t, 'admin').post('/v1/admin/api-keys', { name: 'web', kind: 'publishable' }).expect(201);
      expect(pk.body.key).toMatch(/^pk_test_/);
    });
  });

  describe('keys issued before key kinds (epk_…)', () => {
    async function insertLegacy(kind: 'secret' | 'admin'): Promise<string> {
      const key = `epk_${kind === 'admin' ? 'admin' : 'live'}_${Math.random().toString(36).slice(2)}${Date.now()}`;
      await t.dataSource.query(
        `INSERT INTO api_keys (name, kind, admin_role, livemode, key_hash, prefix) VALUES ($1, $2, $3, false, $4, $5)`,
        [`legacy ${kind}`, kind, kind === 'admin' ? 'owner' : null, hashApiKey(key), key.slice(0, 16)],
      );
      return key;
    }

    it('keep working as secret / owner admin keys, with a deprecation warning in the log', async () => {
      const client = await insertLegacy('secret');
      const admin = await insertLegacy('admin');
      const paid = await api(t, client)
        .post('/v1/payments/card', paymentBody({ card: CARDS.approve }))
        .expect(201);
      await api(t, client).get(`/v1/payments/${paid.body.id}`).expect(200);
      await api(t, admin).get('/v1/admin/api-keys').expect(200);
      await api(t, client).get('/v1/admin/api-keys').expect(403);
      await waitFor(async () => t.readLogs().includes('deprecated epk_ API key in use'), 5000);
      const keys = await api(t, 'admin').get('/v1/admin/api-keys').expect(200);
      expect((keys.body as { name: string; deprecated: boolean }[]).filter((k) => k.name.startsWith('legacy'))).toEqual(
        [
          expect.objectContaining({ deprecated: true, kind: 'secret' }),
          expect.objectContaining({ deprecated: true, kind: 'admin', role: 'owner' }),
        ],
      );
    });
  });

  it('scopes Idempotency-Key per key: the same key string from two keys makes two payments', async () => {
    const body = paymentBody({ card: CARDS.approve });
    const a = await api(t).post('/v1/payments/card', body, { 'Idempotency-Key': 'shared-key-1' }).expect(201);
    const b = await api(t, t.publishableKey)
      .post('/v1/payments/card', body, { 'Idempotency-Key': 'shared-key-1' })
      .expect(201);
    expect(b.body.id).not.toBe(a.body.id);
    const replay = await api(t).post('/v1/payments/card', body, { 'Idempotency-Key': 'shared-key-1' }).expect(201);
    expect(replay.body.id).toBe(a.body.id);
    // the replay carries the client secret, though the stored answer does not
    expect(replay.body.clientSecret).toBe(a.body.clientSecret);
    const stored = await t.dataSource.query(`SELECT response_body::text AS body FROM idempotency_keys WHERE key = $1`, [
      'shared-key-1',
    ]);
    expect(stored).toHaveLength(2);
    for (const row of stored as { body: string }[]) expect(row.body).not.toContain('_secret_');
  });

  it('refuses a key minted for the other mode: a live key against this test deployment is 401', async () => {
    const live = `sk_live_${Date.now()}x`;
    await t.dataSource.query(
      `INSERT INTO api_keys (name, kind, livemode, key_hash, prefix) VALUES ('live one', 'secret', true, $1, $2)`,
      [hashApiKey(live), live.slice(0, 16)],
    );
    await api(t, live).get('/v1/me').expect(401);
  });

  it('a wrong or missing key is 401 on every protected route, a bad key never reaches the bank', async () => {
    const before = bankCalls();
    await request(t.url)
      .post('/v1/payments/card')
      .send(paymentBody({ card: CARDS.approve }))
      .expect(401);
    await request(t.url)
      .post('/v1/payments/card')
      .set('X-API-Key', 'pk_test_forged')
      .send(paymentBody({ card: CARDS.approve }))
      .expect(401);
    expect(bankCalls()).toBe(before);
  });
});
