import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhnValid } from '../src/common/logging/redact.util';
import { driveAcs, readForm } from '../src/sandbox';
import { api } from './setup/api';
import { findCardData, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

// Unique markers inside every wallet token, so the at-rest checks look for this run's tokens.
const secrets: string[] = [];
const marker = () => {
  const m = randomBytes(24).toString('base64').replace(/[+/=]/g, 'x');
  secrets.push(m);
  return m;
};

// A PAYMENT_GATEWAY token shaped like S0's (ECv2; the sandbox does not decrypt it).
function googleToken(): string {
  return JSON.stringify({
    signature: `MEQCIG0Pt0VSb8${marker()}`,
    intermediateSigningKey: {
      signedKey: JSON.stringify({ keyValue: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE', keyExpiration: '1695271732552' }),
      signatures: ['MEQCIFurLZqmGGY9'],
    },
    protocolVersion: 'ECv2',
    signedMessage: JSON.stringify({
      encryptedMessage: marker(),
      ephemeralPublicKey: 'BOmDg7vgShCeyoYT5EgzyV8NGdh3',
      tag: 'I9P/hCUvJTg+cVO7H',
    }),
  });
}

function googlePayBody(
  last4 = '1111',
  overrides: Record<string, unknown> = {},
  network = 'VISA',
): Record<string, unknown> {
  return paymentBody({
    name: 'TEST USER',
    paymentData: {
      apiVersion: 2,
      apiVersionMinor: 0,
      paymentMethodData: {
        description: `Visa •••• ${last4}`,
        type: 'CARD',
        tokenizationData: { type: 'PAYMENT_GATEWAY', token: googleToken() },
        info: { cardNetwork: network, cardDetails: last4 },
      },
    },
    ...overrides,
  });
}

// a Luhn-valid device account number for this run
function dpan(): string {
  const base = `48174${String(Date.now()).slice(-10)}`;
  for (let d = 0; d < 10; d++) if (luhnValid(`${base}${d}`)) return `${base}${d}`;
  throw new Error('unreachable');
}

// Apple's decrypted payment data (seed variant)
function decryptedPaymentData(amount: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    applicationPrimaryAccountNumber: dpan(),
    applicationExpirationDate: '291231',
    currencyCode: '398',
    transactionAmount: amount,
    deviceManufacturerIdentifier: '040010030273',
    paymentDataType: '3DSecure',
    paymentData: { onlinePaymentCryptogram: Buffer.from(marker()).toString('base64'), eciIndicator: '7' },
    ...overrides,
  };
}

// a PKPaymentToken as Apple Pay JS hands it over (sdk variant)
function pkPaymentToken(): Record<string, unknown> {
  return {
    paymentData: {
      version: 'EC_v1',
      data: Buffer.from(marker()).toString('base64'),
      signature: Buffer.from(marker()).toString('base64'),
      header: {
        ephemeralPublicKey: 'MFkwEwYHKoZIzj0CAQYI',
        publicKeyHash: 'LbsUwAT6w1JV9tFXocU813TCHks=',
        transactionId: 'aabbccddeeff00112233',
      },
    },
    paymentMethod: { displayName: 'MasterCard 4242', network: 'MasterCard', type: 'debit' },
    transactionIdentifier: 'AABBCCDDEEFF00112233',
  };
}

function appleCredentials(): { APPLE_PAY_MERCHANT_CERT_PATH: string; APPLE_PAY_MERCHANT_KEY_PATH: string } {
  const dir = mkdtempSync(join(tmpdir(), 'apple-pay-'));
  writeFileSync(join(dir, 'merchant.crt.pem'), '-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n');
  writeFileSync(join(dir, 'merchant.key.pem'), '-----BEGIN PRIVATE KEY-----\ntest\n-----END PRIVATE KEY-----\n');
  return {
    APPLE_PAY_MERCHANT_CERT_PATH: join(dir, 'merchant.crt.pem'),
    APPLE_PAY_MERCHANT_KEY_PATH: join(dir, 'merchant.key.pem'),
  };
}

const fieldsOf = (body: { error: { details?: { field?: string }[] } }) =>
  (body.error.details ?? []).map((d) => d.field);

describe('wallets (e2e, over HTTP against the sandbox)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        EPAY_TIMEOUT_MS: '1500',
        APPLE_PAY_ENABLED: 'true',
        APPLE_PAY_MERCHANT_ID: 'merchant.kz.example.shop',
        ...appleCredentials(),
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    t.sandbox.control.clearFaults();
  });

  describe('Google Pay', () => {
    it('gives the frontend its Google Pay configuration', async () => {
      const res = await api(t).get('/v1/wallets/google-pay/config').expect(200);
      expect(res.body).toEqual({
        environment: 'TEST',
        apiVersion: 2,
        apiVersionMinor: 0,
        merchantInfo: {},
        allowedPaymentMethods: [
          {
            type: 'CARD',
            parameters: {
              allowedAuthMethods: ['PAN_ONLY', 'CRYPTOGRAM_3DS'],
              allowedCardNetworks: ['VISA', 'MASTERCARD'],
            },
            tokenizationSpecification: {
              type: 'PAYMENT_GATEWAY',
              parameters: { gateway: 'halykbank', gatewayMerchantId: '67e34d63-102f-4bd1-898e-370781d0074d' },
            },
          },
        ],
      });
    });

    it('pays with a Google Pay token through cryptopay (paymentType googlePay), keeping only network and last four', async () => {
      const res = await api(t)
        .post('/v1/payments/google-pay', googlePayBody('1111', { amount: 10050 }))
        .expect(201);
      expect(res.body).toMatchObject({
        status: 'charged',
        method: 'google_pay',
        amount: 10050,
        capturedAmount: 10050,
        card: { last4: '1111', type: 'VISA' },
        failure: null,
        nextAction: null,
      });
      const tx = t.sandbox.control.getTransaction(res.body.invoiceId)!;
      expect(tx).toMatchObject({ statusName: 'CHARGE', paymentType: 'googlePay', amount: 100.5 });
      const [exchange] = await t.dataSource.query(
        `SELECT request_body FROM gateway_exchanges WHERE payment_id = $1 AND operation = 'cryptopay'`,
        [res.body.id],
      );
      expect(exchange.request_body).toMatchObject({
        paymentType: 'googlePay',
        googlePay: '[REDACTED]',
        cardSave: false,
      });
    });

    it('records a decline as failed with the bank reason code', async () => {
      const res = await api(t).post('/v1/payments/google-pay', googlePayBody('0002')).expect(201);
      expect(res.body).toMatchObject({
        status: 'failed',
        failure: { code: 'epay_484', message: 'Insufficient funds' },
      });
    });

    it('3-D Secure: requires_3ds with nextAction, then the shared 3-D Secure pages finish it', async () => {
      const res = await api(t).post('/v1/payments/google-pay', googlePayBody('3333')).expect(201);
      expect(res.body.status).toBe('requires_3ds');
      expect(res.body.nextAction).toEqual({ type: 'redirect', url: `${t.url}/v1/three-ds/${res.body.id}` });

      // the customer's browser: our redirect page, the bank's ACS with the one-time code, back to TermUrl
      const page = await fetch(res.body.nextAction.url);
      expect(page.status).toBe(200);
      const form = readForm(await page.text());
      const acs = await driveAcs(
        { action: form.action, paReq: form.fields.PaReq, md: form.fields.MD },
        form.fields.TermUrl,
        { otp: '1234' },
      );
      expect(acs.termUrl).toBe(`${t.url}/v1/three-ds/${res.body.id}/callback`);
      const back = await fetch(acs.termUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ PaRes: acs.PaRes, MD: acs.MD }),
        redirect: 'manual',
      });
      expect(back.status).toBe(303);
      expect(back.headers.get('location')).toContain('status=charged');
      const done = await api(t).get(`/v1/payments/${res.body.id}`).expect(200);
      expect(done.body).toMatchObject({ status: 'charged', method: 'google_pay', nextAction: null });
    });

    it('names the field of a bad PaymentData and sends nothing', async () => {
      const before = t.sandbox.control.requestCount('cryptopay');
      const withPmd = (pmd: Record<string, unknown>) => {
        const body = googlePayBody();
        const pd = body.paymentData as { paymentMethodData: Record<string, unknown> };
        pd.paymentMethodData = { ...pd.paymentMethodData, ...pmd };
        return body;
      };
      const cases: [Record<string, unknown>, string][] = [
        [paymentBody({}), 'paymentData'],
        [
          withPmd({ tokenizationData: { type: 'DIRECT', token: googleToken() } }),
          'paymentData.paymentMethodData.tokenizationData.type',
        ],
        [
          withPmd({ tokenizationData: { type: 'PAYMENT_GATEWAY', token: 'not json' } }),
          'paymentData.paymentMethodData.tokenizationData.token',
        ],
        [
          withPmd({ info: { cardNetwork: 'VISA', cardDetails: '11a1' } }),
          'paymentData.paymentMethodData.info.cardDetails',
        ],
        [
          withPmd({ info: { cardNetwork: 'AMEX', cardDetails: '1111' } }),
          'paymentData.paymentMethodData.info.cardNetwork',
        ],
        [
          { ...googlePayBody(), paymentData: { ...(googlePayBody().paymentData as object), apiVersion: 1 } },
          'paymentData.apiVersion',
        ],
        [withPmd({ extra: 1 }), 'paymentData.paymentMethodData.extra'],
      ];
      for (const [body, field] of cases) {
        const res = await api(t).post('/v1/payments/google-pay', body).expect(400);
        expect(fieldsOf(res.body)).toContain(field);
      }
      expect(t.sandbox.control.requestCount('cryptopay')).toBe(before);
    });

    it('idempotency: same key and body, one bank call and the same answer', async () => {
      const body = googlePayBody();
      const before = t.sandbox.control.requestCount('cryptopay');
      const a = await api(t).post('/v1/payments/google-pay', body, { 'Idempotency-Key': 'gpay-1' }).expect(201);
      const b = await api(t).post('/v1/payments/google-pay', body, { 'Idempotency-Key': 'gpay-1' }).expect(201);
      expect(b.headers['idempotent-replayed']).toBe('true');
      expect(b.body).toEqual(a.body);
      expect(t.sandbox.control.requestCount('cryptopay')).toBe(before + 1);
    });

    it('an ambiguous answer is unknown, reconciled by a status check', async () => {
      t.sandbox.control.addFault({ path: 'cryptopay', type: 'commit-then-500' });
      const res = await api(t).post('/v1/payments/google-pay', googlePayBody()).expect(201);
      expect(res.body.status).toBe('unknown');
      const refreshed = await api(t).get(`/v1/payments/${res.body.id}?refresh=true`).expect(200);
      expect(refreshed.body.status).toBe('charged');
    });
  });

  describe('Apple Pay (APPLE_PAY_VARIANT=seed)', () => {
    it('pays with the decrypted payment data: cryptogramApplePay + placeholder cryptogram, paymentType ApplePay', async () => {
      const res = await api(t)
        .post(
          '/v1/payments/apple-pay',
          paymentBody({
            amount: 10050,
            applePay: {
              decryptedPaymentData: decryptedPaymentData(10050),
              paymentMethod: { displayName: 'Visa 0326', network: 'Visa', type: 'debit' },
            },
          }),
        )
        .expect(201);
      expect(res.body).toMatchObject({ status: 'charged', method: 'apple_pay', amount: 10050, card: { type: 'VISA' } });
      expect(t.sandbox.control.getTransaction(res.body.invoiceId)).toMatchObject({
        statusName: 'CHARGE',
        paymentType: 'ApplePay',
        amount: 100.5,
      });
      const [exchange] = await t.dataSource.query(
        `SELECT request_body FROM gateway_exchanges WHERE payment_id = $1 AND operation = 'cryptopay'`,
        [res.body.id],
      );
      expect(exchange.request_body).toMatchObject({
        paymentType: 'ApplePay',
        cryptogramApplePay: '[REDACTED]',
        cryptogram: '[REDACTED]',
      });
    });

    it('records a decline as failed', async () => {
      const res = await api(t)
        .post(
          '/v1/payments/apple-pay',
          paymentBody({
            amount: 10050,
            applePay: { decryptedPaymentData: decryptedPaymentData(10050, { cardholderName: 'DECLINE ME' }) },
          }),
        )
        .expect(201);
      expect(res.body).toMatchObject({ status: 'failed', failure: { code: 'epay_462' } });
    });

    it('refuses data for another amount or currency, or of the wrong shape, naming the field', async () => {
      const before = t.sandbox.control.requestCount('cryptopay');
      const cases: [Record<string, unknown>, string][] = [
        [{ decryptedPaymentData: decryptedPaymentData(999) }, 'applePay.decryptedPaymentData.transactionAmount'],
        [
          { decryptedPaymentData: decryptedPaymentData(10050, { currencyCode: '840' }) },
          'applePay.decryptedPaymentData.currencyCode',
        ],
        [
          { decryptedPaymentData: decryptedPaymentData(10050, { paymentData: { eciIndicator: '7' } }) },
          'applePay.decryptedPaymentData.paymentData.onlinePaymentCryptogram',
        ],
        [
          { decryptedPaymentData: decryptedPaymentData(10050, { applicationExpirationDate: '2912' }) },
          'applePay.decryptedPaymentData.applicationExpirationDate',
        ],
        [{}, 'applePay.decryptedPaymentData'],
        [{ ...pkPaymentToken() }, 'applePay.decryptedPaymentData'],
      ];
      for (const [applePay, field] of cases) {
        const res = await api(t)
          .post('/v1/payments/apple-pay', paymentBody({ amount: 10050, applePay }))
          .expect(400);
        expect(fieldsOf(res.body)).toContain(field);
        expect(findCardData(JSON.stringify(res.body))).toEqual([]);
      }
      expect(t.sandbox.control.requestCount('cryptopay')).toBe(before);
    });

    it('merchant validation only calls Apple Pay gateway hosts', async () => {
      for (const validationUrl of [
        'https://evil.example.com/paymentSession',
        'http://apple-pay-gateway.apple.com/x',
        'https://apple-pay-gateway.apple.com.evil.kz/x',
      ]) {
        const res = await api(t).post('/v1/wallets/apple-pay/session', { validationUrl }).expect(400);
        expect(fieldsOf(res.body)).toEqual(['validationUrl']);
      }
    });
  });

  it('Apple Pay (APPLE_PAY_VARIANT=sdk): the raw PKPaymentToken as applePay, paymentType applePay', async () => {
    const sdk = await startTestApp({
      env: {
        APPLE_PAY_ENABLED: 'true',
        APPLE_PAY_VARIANT: 'sdk',
        APPLE_PAY_MERCHANT_ID: 'merchant.kz.example.shop',
        ...appleCredentials(),
      },
    });
    try {
      const res = await api(sdk)
        .post('/v1/payments/apple-pay', paymentBody({ applePay: pkPaymentToken() }))
        .expect(201);
      expect(res.body).toMatchObject({
        status: 'charged',
        method: 'apple_pay',
        card: { type: 'MASTERCARD', last4: '4242' },
      });
      expect(sdk.sandbox.control.getTransaction(res.body.invoiceId)).toMatchObject({
        statusName: 'CHARGE',
        paymentType: 'applePay',
      });
      const bad = await api(sdk)
        .post('/v1/payments/apple-pay', paymentBody({ applePay: { ...pkPaymentToken(), transactionIdentifier: 'zz' } }))
        .expect(400);
      expect(fieldsOf(bad.body)).toContain('applePay.transactionIdentifier');
      const seedShape = await api(sdk)
        .post(
          '/v1/payments/apple-pay',
          paymentBody({ applePay: { decryptedPaymentData: decryptedPaymentData(10050) } }),
        )
        .expect(400);
      expect(fieldsOf(seedShape.body)).toContain('applePay.paymentData');

      const dump = await sdk.dumpDatabase();
      const logs = sdk.readLogs();
      for (const secret of secrets) {
        expect(dump).not.toContain(secret);
        expect(logs).not.toContain(secret);
      }
    } finally {
      await sdk.close();
    }
  });

  it('switched-off wallets answer 404 FEATURE_DISABLED before anything else', async () => {
    const off = await startTestApp({ env: { GOOGLE_PAY_ENABLED: 'false' } });
    try {
      for (const [method, path] of [
        ['post', '/v1/payments/google-pay'],
        ['get', '/v1/wallets/google-pay/config'],
        ['post', '/v1/payments/apple-pay'],
        ['post', '/v1/wallets/apple-pay/session'],
      ] as const) {
        const res =
          method === 'get'
            ? await api(off).get(path).expect(404)
            : await api(off).post(path, { nonsense: true }).expect(404);
        expect(res.body.error.code).toBe('FEATURE_DISABLED');
      }
      const [{ count }] = await off.dataSource.query(`SELECT count(*)::int AS count FROM payments`);
      expect(count).toBe(0);
    } finally {
      await off.close();
    }
  });

  it('leaves no card data, wallet tokens, secrets or access tokens in the logs or the database', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const logs = t.readLogs();
    const dump = await t.dumpDatabase();
    expect(logs.length).toBeGreaterThan(1000);
    expect(secrets.length).toBeGreaterThan(20);
    for (const text of [logs, dump]) {
      expect(findCardData(text)).toEqual([]);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/48174\d{11}/);
      expect(text).not.toContain('yF587AV9Ms94qN2QShFzVR3vFnWkhjbAK3sG');
      for (const token of t.sandbox.state.tokens.keys()) expect(text).not.toContain(token);
    }
  });
});
