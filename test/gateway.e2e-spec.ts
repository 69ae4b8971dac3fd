import { privateDecrypt, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayException } from '../src/gateway/gateway.exception';
import { HomebankHttpService } from '../src/gateway/homebank-http.service';
import { EpayTokenService } from '../src/modules/auth/epay-token.service';
import { CryptogramService } from '../src/modules/crypto/cryptogram.service';
import { EpayPublicKeyService } from '../src/modules/crypto/epay-public-key.service';
import { startSandbox, RunningSandbox } from '../src/sandbox';
import { startTestApp, TestApp } from './setup/test-app';

// The gateway client, Auth and Crypto against the sandbox over real HTTP.
describe('ePay gateway client, tokens and cryptograms (e2e)', () => {
  let t: TestApp;
  let homebank: HomebankHttpService;
  let tokens: EpayTokenService;

  beforeAll(async () => {
    t = await startTestApp({ env: { EPAY_TIMEOUT_MS: '800' } });
    homebank = t.app.get(HomebankHttpService);
    tokens = t.app.get(EpayTokenService);
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => t.sandbox.control.clearFaults());

  const exchanges = (operation: string): Promise<{ outcome: string; attempt: number; http_status: number | null }[]> =>
    t.dataSource.query(
      `SELECT outcome, attempt, http_status FROM gateway_exchanges WHERE operation = $1 ORDER BY created_at`,
      [operation],
    );

  it('reads expires_in sent as a string and as a number', async () => {
    const token = await homebank.requestToken({
      grant_type: 'client_credentials',
      scope: 'payment',
      terminal: homebank.terminalId,
    });
    expect(token.expiresInSeconds).toBe(7200);
    const numeric = await startSandbox({ expiresInAsString: false, tokenTtlSeconds: 900 });
    try {
      const other = await startTestApp({ sandbox: numeric });
      try {
        const tk = await other.app
          .get(HomebankHttpService)
          .requestToken({ grant_type: 'client_credentials', scope: 'payment' });
        expect(tk.expiresInSeconds).toBe(900);
      } finally {
        await other.close();
      }
    } finally {
      await numeric.close();
    }
  });

  it('shares one service token between concurrent callers (one fetch, not a stampede)', async () => {
    tokens.invalidateServiceToken();
    const before = t.sandbox.control.requestCount('oauth');
    const got = await Promise.all(Array.from({ length: 20 }, () => tokens.getServiceToken()));
    expect(new Set(got).size).toBe(1);
    expect(t.sandbox.control.requestCount('oauth')).toBe(before + 1);
    await tokens.getServiceToken();
    expect(t.sandbox.control.requestCount('oauth')).toBe(before + 1);
    // the token carries the terminal, so status checks work with it (no 104)
    const record = t.sandbox.state.tokens.get(got[0])!;
    expect(record.terminal).toBe(homebank.terminalId);
  });

  it('binds payment tokens to invoice, amount, currency and terminal and passes secret_hash and postLinks', async () => {
    const token = await tokens.paymentToken({
      invoiceId: '555000111',
      amountMinor: 12345,
      currency: 'KZT',
      postLink: 'https://example.kz/post',
      failurePostLink: 'https://example.kz/fail',
      secretHash: 'per-payment-secret',
    });
    const record = t.sandbox.state.tokens.get(token)!;
    expect(record).toMatchObject({
      invoiceId: '555000111',
      currency: 'KZT',
      terminal: homebank.terminalId,
      secretHash: 'per-payment-secret',
    });
    expect(record.postLink).toBe('https://example.kz/post');
    expect(record.failurePostLink).toBe('https://example.kz/fail');
  });

  it('retries idempotent reads with backoff and records each attempt', async () => {
    const serviceToken = await tokens.getServiceToken();
    t.sandbox.control.addFault({ path: 'check-status', type: 'http500', times: 2 });
    const before = (await exchanges('status')).length;
    const reply = await homebank.checkPaymentStatus(serviceToken, '999999999');
    expect(reply.resultCode).toBe(102);
    const rows = (await exchanges('status')).slice(before);
    expect(rows.map((r) => [r.outcome, r.attempt])).toEqual([
      ['unavailable', 1],
      ['unavailable', 2],
      ['ok', 3],
    ]);
  });

  it('never retries a money-moving call and classifies its failures', async () => {
    const serviceToken = await tokens.getServiceToken();
    const cases = [
      ['http500', 'unavailable', true],
      ['malformed', 'malformed', true],
      ['timeout', 'timeout', true],
      ['reset', 'unavailable', true],
    ] as const;
    for (const [type, failure, ambiguous] of cases) {
      t.sandbox.control.addFault({ path: 'refund', type });
      const before = t.sandbox.control.requestCount('refund');
      const err = await homebank.refund(serviceToken, 'no-such-txn', 1000, 'KZT', 'ext-1', {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayException);
      expect((err as GatewayException).failure).toBe(failure);
      expect((err as GatewayException).ambiguous).toBe(ambiguous);
      expect(t.sandbox.control.requestCount('refund')).toBe(before + 1);
    }
    const refused = (await homebank
      .refund(serviceToken, 'no-such-txn', 1000, 'KZT', 'ext-2', {})
      .catch((e: unknown) => e)) as GatewayException;
    expect(refused.failure).toBe('rejected');
    expect(refused.ambiguous).toBe(false);
    expect(refused.bankCode).toEqual(expect.any(Number));
  });

  it('a refused connection is not ambiguous: nothing reached the bank', async () => {
    const closed = await startSandbox();
    const url = closed.url;
    await closed.close();
    const app = await startTestApp({ env: { EPAY_API_URL: url, EPAY_OAUTH_URL: `${url}/oauth2/token` } });
    try {
      const err = (await app.app
        .get(HomebankHttpService)
        .fetchPublicKey()
        .catch((e: unknown) => e)) as GatewayException;
      expect(err.failure).toBe('unavailable');
      expect(err.ambiguous).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('builds cryptograms the bank can decrypt: compact JSON, MMYY, PKCS#1 v1.5', async () => {
    const cryptogram = await t.app
      .get(CryptogramService)
      .forCard({ number: '4405 6397 0401 5096', expMonth: 1, expYear: 2025, cvc: '815' });
    const der = Buffer.from(cryptogram, 'base64');
    expect(der).toHaveLength(512);
    const pem = readFileSync(join(__dirname, '../src/sandbox/keys/sandbox-private.pem'), 'utf8');
    // Node refuses PKCS#1 v1.5 decryption by default (Marvin); the sandbox does the padding itself,
    // so here we decrypt raw and strip the 00 02 ... 00 padding by hand.
    const raw = privateDecrypt({ key: pem, padding: constants.RSA_NO_PADDING }, der);
    expect(raw[0]).toBe(0);
    expect(raw[1]).toBe(2);
    const plain = raw.subarray(raw.indexOf(0, 2) + 1).toString('utf8');
    expect(plain).toBe(
      `{"hpan":"4405639704015096","expDate":"0125","cvc":"815","terminalId":"${homebank.terminalId}"}`,
    );
  });

  it('caches the public key, can pin one, and refreshes after a decrypt failure at most once a minute', async () => {
    const keys = t.app.get(EpayPublicKeyService);
    const before = t.sandbox.control.requestCount('public.rsa');
    const a = await keys.get();
    const b = await keys.get();
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(t.sandbox.control.requestCount('public.rsa')).toBe(before);
    await keys.refreshAfterDecryptFailure();
    await keys.refreshAfterDecryptFailure();
    expect(t.sandbox.control.requestCount('public.rsa')).toBeLessThanOrEqual(before + 1);

    const pinned = await startTestApp({ sandbox: t.sandbox, env: { EPAY_PUBLIC_KEY_PEM: a.pem } });
    try {
      const calls = t.sandbox.control.requestCount('public.rsa');
      expect((await pinned.app.get(EpayPublicKeyService).get()).pinned).toBe(true);
      expect(t.sandbox.control.requestCount('public.rsa')).toBe(calls);
    } finally {
      await pinned.close();
    }
  });
});

describe('sandbox wiring', () => {
  let sandbox: RunningSandbox;
  afterAll(async () => sandbox?.close());

  it('serves every ePay route under / and /api/', async () => {
    sandbox = await startSandbox();
    const a = await fetch(`${sandbox.url}/public.rsa`);
    const b = await fetch(`${sandbox.url}/api/public.rsa`);
    expect(a.status).toBe(200);
    expect(await b.text()).toBe(await a.text());
  });
});
