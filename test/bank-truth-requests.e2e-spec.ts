import request from 'supertest';
import { api } from './setup/api';
import { CARDS, paymentBody, transferBody, uniqueAccount } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

const googlePayData = (info: Record<string, unknown> = {}) => ({
  apiVersion: 2,
  apiVersionMinor: 0,
  paymentMethodData: {
    type: 'CARD',
    description: 'Visa •••• 1111',
    info: { cardNetwork: 'VISA', cardDetails: '1111', ...info },
    tokenizationData: {
      type: 'PAYMENT_GATEWAY',
      token: JSON.stringify({
        signature: 'MEQCIG0Pt0VSb8bank-truth',
        intermediateSigningKey: {
          signedKey: JSON.stringify({
            keyValue: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
            keyExpiration: '1695271732552',
          }),
          signatures: ['MEQCIFurLZqmGGY9'],
        },
        protocolVersion: 'ECv2',
        signedMessage: JSON.stringify({ encryptedMessage: 'bank-truth', ephemeralPublicKey: 'BOmDg7', tag: 'I9P/hC' }),
      }),
    },
  },
});

// Issue 13 items 3 and 4 against a sandbox that behaves exactly like the seeds' samples: `name` is
// always sent (Required in seeds 000 and 004); P2P goes to seed 003's path; an answer no bank
// endpoint gives (404) is a configuration error, never a decline.
describe('bank truth: what we send, and answers that are no bank answer (e2e, seed-faithful sandbox)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: { EPAY_DEFAULT_PAYER_NAME: 'SHOP CUSTOMER' },
      // as the seeds, except replies in their literal text (bank-truth-status covers those)
      sandboxOptions: { seedQuirks: { postLinkWithoutSecretHash: true, p2pSeedPathOnly: true } },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const sentBody = async (paymentId: string, operation: string): Promise<Record<string, unknown>> => {
    const [row] = await t.dataSource.query(
      `SELECT request_body FROM gateway_exchanges WHERE payment_id = $1 AND operation = $2 ORDER BY created_at LIMIT 1`,
      [paymentId, operation],
    );
    return row.request_body;
  };

  describe('name is always sent', () => {
    const googlePay = googlePayData;

    it('Google Pay without a name: the billing name, else the configured default', async () => {
      const withBilling = await api(t)
        .post(
          '/v1/payments/google-pay',
          paymentBody({ paymentData: googlePay({ billingAddress: { name: 'AIGUL S' } }) }),
        )
        .expect(201);
      expect(withBilling.body.status).toBe('charged');
      expect(await sentBody(withBilling.body.id, 'cryptopay')).toMatchObject({ name: 'AIGUL S' });

      const without = await api(t)
        .post('/v1/payments/google-pay', paymentBody({ paymentData: googlePay() }))
        .expect(201);
      expect(await sentBody(without.body.id, 'cryptopay')).toMatchObject({ name: 'SHOP CUSTOMER' });

      const given = await api(t)
        .post('/v1/payments/google-pay', paymentBody({ name: 'ARMAN ALI', paymentData: googlePay() }))
        .expect(201);
      expect(await sentBody(given.body.id, 'cryptopay')).toMatchObject({ name: 'ARMAN ALI' });
    });

    it('saved card without a name: the configured default', async () => {
      const accountId = uniqueAccount();
      const first = await api(t)
        .post('/v1/payments/card', paymentBody({ accountId, saveCard: true, card: CARDS.approveAny }))
        .expect(201);
      expect(first.body.status).toBe('charged');
      const cards = await api(t).get(`/v1/accounts/${accountId}/cards`).expect(200);
      const res = await api(t)
        .post('/v1/payments/saved-card', paymentBody({ accountId, cardId: cards.body[0].id }))
        .expect(201);
      expect(res.body.status).toBe('charged');
      expect(await sentBody(res.body.id, 'card-id-payment')).toMatchObject({ name: 'SHOP CUSTOMER' });
    });
  });

  describe('P2P', () => {
    it("goes to seed 003's POST /payments/cards/auth by default", async () => {
      const before = t.sandbox.control.requestCount('cards/auth');
      const res = await api(t).post('/v1/transfers', transferBody()).expect(201);
      expect(res.body).toMatchObject({ status: 'charged', failure: null });
      expect(t.sandbox.control.requestCount('cards/auth')).toBe(before + 1);
    });
  });
});

describe('bank truth: a 404 from a path the bank does not have is gateway_misconfigured (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // the SDK's P2P path, which a seed-faithful bank does not have
    t = await startTestApp({ env: { P2P_TRANSFER_PATH: '/p2p/transfer' }, sandboxOptions: { seedQuirks: 'all' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a transfer sent to a missing path fails as gateway_misconfigured, flagged, counted — not "Declined"', async () => {
    const res = await api(t).post('/v1/transfers', transferBody()).expect(201);
    expect(res.body).toMatchObject({
      status: 'failed',
      failure: { code: 'gateway_misconfigured' },
      needsAttention: true,
    });
    expect(res.body.failure.code).not.toBe('epay_404');
    const metrics = (await request(t.url).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/epay_misconfigured_total\{operation="p2p-transfer",http_status="404"\} 1/);
  });

  it('a Google Pay payment sent to a wrong API base fails as gateway_misconfigured and is flagged', async () => {
    const wrong = await startTestApp({
      env: { EPAY_API_URL: `${t.sandbox.apiUrl}/nowhere` },
      sandbox: t.sandbox,
    });
    try {
      const res = await api(wrong)
        .post('/v1/payments/google-pay', paymentBody({ paymentData: googlePayData() }))
        .expect(201);
      expect(res.body).toMatchObject({ status: 'failed', failure: { code: 'gateway_misconfigured' } });
      const admin = await api(wrong, 'admin').get(`/v1/admin/payments/${res.body.id}`).expect(200);
      expect(JSON.stringify(admin.body)).toContain('configuration error');
      const [row] = await wrong.dataSource.query(`SELECT needs_attention FROM payments WHERE id = $1`, [res.body.id]);
      expect(row.needs_attention).toBe(true);
    } finally {
      await wrong.close();
    }
  });
});
