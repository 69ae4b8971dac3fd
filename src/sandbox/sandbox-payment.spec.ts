import { startSandbox, type RunningSandbox } from './sandbox.server';
import { SandboxTestClient } from './sandbox-test-client.util';
import { driveAcs, encryptCryptogram, startPostLinkReceiver, type PostLinkReceiver } from './sandbox-testing.util';

const TERMINAL = '67e34d63-102f-4bd1-898e-370781d0074d';
const SEED_OK = { pan: '4405639704015096', exp: '0125', cvc: '815' };
const SEED_3DS = { pan: '5522042705066736', exp: '0125', cvc: '525' };
const SEED_LOCKED = { pan: '377514500004820', exp: '0125', cvc: '4169' };
const SEED_EXPIRED = { pan: '4003032704547597', exp: '0920', cvc: '170' };
const VISA_OK = { pan: '4111111111111111', exp: '1230', cvc: '123' };
const NO_FUNDS = { pan: '4000000000000002', exp: '1230', cvc: '123' };
const THREE_DS = { pan: '4000000000003220', exp: '1230', cvc: '123' };

describe('ePay sandbox: OAuth and card payments', () => {
  let sandbox: RunningSandbox;
  let client: SandboxTestClient;
  let receiver: PostLinkReceiver;
  let seq = 300000;
  const invoice = () => String(++seq);

  beforeAll(async () => {
    sandbox = await startSandbox();
    client = new SandboxTestClient(sandbox.url);
    receiver = await startPostLinkReceiver();
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });
  beforeEach(() => {
    sandbox.control.reset();
    receiver.received.length = 0;
  });

  describe('OAuth', () => {
    it('issues a token from urlencoded, multipart and JSON bodies, with expires_in as a string', async () => {
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'payment',
        client_id: 'test',
        client_secret: client.creds.clientSecret,
        InvoiceID: '123456',
        amount: '100.50',
        curency: 'KZT',
        terminal: TERMINAL,
        secret_hash: 'S3CRET',
      });
      const url = await client.http.post('/epay2/oauth2/token', form.toString(), {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(url.status).toBe(200);
      expect(url.data).toEqual({
        access_token: expect.any(String),
        expires_in: '7200',
        refresh_token: '',
        scope: 'payment',
        token_type: 'Bearer',
      });
      const stored = sandbox.state.tokens.get(url.data.access_token)!;
      expect(stored).toMatchObject({
        invoiceId: '123456',
        amountMinor: 10050,
        currency: 'KZT',
        terminal: TERMINAL,
        secretHash: 'S3CRET',
      });

      const fd = new FormData();
      for (const [k, v] of Object.entries({
        grant_type: 'client_credentials',
        scope: 'transfer',
        client_id: 'test',
        client_secret: client.creds.clientSecret,
        invoiceId: '654321',
        amount: '7',
      }))
        fd.append(k, v);
      const multipart = await fetch(`${sandbox.url}/api/oauth2/token`, { method: 'POST', body: fd });
      const mp = (await multipart.json()) as { access_token: string; scope: string };
      expect(multipart.status).toBe(200);
      expect(sandbox.state.tokens.get(mp.access_token)).toMatchObject({
        scope: 'transfer',
        invoiceId: '654321',
        amountMinor: 700,
      });

      const json = await client.http.post('/oauth2/token', {
        grant_type: 'client_credentials',
        client_id: 'test',
        client_secret: client.creds.clientSecret,
        scope: 'webapi',
      });
      expect(json.status).toBe(200);
    });

    it('rejects wrong credentials with invalid_client and can send expires_in as a number', async () => {
      const bad = await client.http.post(
        '/oauth2/token',
        new URLSearchParams({ grant_type: 'client_credentials', client_id: 'test', client_secret: 'nope' }).toString(),
      );
      expect(bad.status).toBe(401);
      expect(bad.data).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
      const numeric = await startSandbox({ expiresInAsString: false, tokenTtlSeconds: 900 });
      try {
        const res = await new SandboxTestClient(numeric.url).http.post('/oauth2/token', {
          grant_type: 'client_credentials',
          client_id: 'test',
          client_secret: client.creds.clientSecret,
        });
        expect(res.data.expires_in).toBe(900);
      } finally {
        await numeric.close();
      }
    });

    it('expires tokens after tokenTtlSeconds (401 afterwards)', async () => {
      const shortLived = await startSandbox({ tokenTtlSeconds: 1 });
      try {
        const c = new SandboxTestClient(shortLived.url);
        const token = await c.token();
        expect((await c.http.get('/check-status/payment/transaction/123456', c.bearer(token))).status).toBe(200);
        shortLived.state.tokens.get(token)!.expiresAt = Date.now() - 1; // fast-forward instead of sleeping
        const res = await c.http.get('/check-status/payment/transaction/123456', c.bearer(token));
        expect(res.status).toBe(401);
        expect(res.data).toEqual({ code: 401, message: 'unauthorized' });
      } finally {
        await shortLived.close();
      }
    });

    it('serves an SPKI RSA-4096 public key as text', async () => {
      const res = await client.http.get('/api/public.rsa', { responseType: 'text' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/plain/);
      expect(res.data).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      const { createPublicKey } = await import('node:crypto');
      expect(createPublicKey(res.data as string).asymmetricKeyDetails?.modulusLength).toBe(4096);
    });
  });

  describe('cryptopay', () => {
    it('approves a seed card: S2 body, CHARGE, stored transaction, success postLink with secret_hash and data', async () => {
      const inv = invoice();
      const res = await client.payCard(
        inv,
        100.5,
        SEED_OK,
        {
          accountId: 'user-1',
          email: 'a@b.kz',
          phone: '77001234567',
          data: '{"k":1}',
          postLink: `${receiver.url}/ok`,
          failurePostLink: `${receiver.url}/fail`,
          invoiceIdAlt: '8564546',
        },
        { secret_hash: 'H4SH' },
      );
      expect(res.status).toBe(200);
      expect(res.data).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        amount: 100.5,
        amountBonus: 0,
        currency: 'KZT',
        invoiceID: inv,
        invoiceIdAlt: '8564546',
        accountID: 'user-1',
        phone: '77001234567',
        email: 'a@b.kz',
        description: 'test payment',
        reference: expect.stringMatching(/^\d{12}$/),
        intReference: expect.stringMatching(/^[0-9A-F]{16}$/),
        secure3D: null,
        cardID: '',
        language: 'rus',
        fee: 0,
        code: 0,
        status: 'CHARGE',
      });
      const txn = sandbox.control.getTransaction(inv)!;
      expect(txn).toMatchObject({
        statusName: 'CHARGE',
        amountMinor: 10050,
        amount: 100.5,
        orgAmount: 100.5,
        cardMask: '440563...5096',
        cardType: 'VISA',
        secure: false,
      });
      expect(JSON.stringify(sandbox.state.payments.get(txn.id))).not.toContain('4405639704015096');

      const [post] = await receiver.waitFor(1);
      expect(post.path).toBe('/ok');
      expect(post.body).toMatchObject({
        code: 'ok',
        reasonCode: 0,
        reason: 'success',
        secure: 'no',
        invoiceId: inv,
        id: txn.id,
        amount: 100.5,
        cardMask: '440563...5096',
        approvalCode: expect.stringMatching(/^\d{6}$/),
        cardId: '',
        secret_hash: 'H4SH',
        data: '{"k":1}',
        terminal: TERMINAL,
      });
      await sandbox.control.flushPostLinks();
      expect(sandbox.control.getDeliveries()).toHaveLength(1);
      expect(sandbox.control.getDeliveries()[0]).toMatchObject({
        status: 200,
        outcome: 'success',
        url: `${receiver.url}/ok`,
      });
    });

    it('declines with HTTP 400 and the bank error body, stores FAILED and posts to failurePostLink (token URLs)', async () => {
      const inv = invoice();
      const res = await client.payCard(
        inv,
        2000,
        NO_FUNDS,
        { accountId: 'u2' },
        { postLink: `${receiver.url}/ok`, failurePostLink: `${receiver.url}/fail` },
      );
      expect(res.status).toBe(400);
      expect(res.data).toEqual({
        code: 484,
        message: expect.any(String),
        invoiceId: inv,
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        reference: '',
        accountId: 'u2',
      });
      expect(sandbox.control.getTransaction(inv)).toMatchObject({ statusName: 'FAILED', reasonCode: 484 });
      const [post] = await receiver.waitFor(1);
      expect(post.path).toBe('/fail');
      expect(post.body).toMatchObject({ code: 'error', reasonCode: 484, invoiceId: inv });
      expect(post.body).not.toHaveProperty('approvalCode');
    });

    it.each([
      ['locked seed card', SEED_LOCKED, 465, 'REJECT'],
      ['expired seed card', SEED_EXPIRED, 478, 'REJECT'],
      ['wrong CVC on a seed card', { ...SEED_OK, cvc: '000' }, 459, 'FAILED'],
      ['issuer decline', { pan: '4000000000009995', exp: '1230', cvc: '1' }, 462, 'FAILED'],
      ['non-Luhn PAN', { pan: '4111111111111112', exp: '1230', cvc: '1' }, 471, 'FAILED'],
    ])('declines a %s', async (_name, card, code, status) => {
      const inv = invoice();
      const res = await client.payCard(inv, 100, card);
      expect(res.status).toBe(400);
      expect(res.data.code).toBe(code);
      expect(sandbox.control.getTransaction(inv)?.statusName).toBe(status);
    });

    it('accepts the Cyrillic "сryptogram" key, the /api prefix, and answers AUTH in two-step mode', async () => {
      sandbox.control.setCaptureMode('AUTH');
      const inv = invoice();
      const token = await client.paymentToken(inv, 10);
      const body = {
        amount: 10,
        currency: 'KZT',
        name: 'X',
        '\u0441ryptogram': await client.cryptogram(VISA_OK),
        invoiceId: inv,
        description: 'd',
        cardSave: false,
        terminalId: TERMINAL,
      };
      const res = await client.http.post('/api/payment/cryptopay', body, client.bearer(token));
      expect(res.status).toBe(200);
      expect(res.data.status).toBe('AUTH');
      expect(sandbox.control.requestCount('cryptopay')).toBe(1);
    });

    it('requires a valid bearer token (401) and a token bound to invoice, amount and currency (1001)', async () => {
      const inv = invoice();
      const cg = await client.cryptogram(VISA_OK);
      const body = {
        amount: 100,
        currency: 'KZT',
        cryptogram: cg,
        invoiceId: inv,
        description: 'd',
        name: 'n',
        cardSave: false,
      };
      const none = await client.http.post('/payment/cryptopay', body);
      expect(none.status).toBe(401);
      expect(none.data).toEqual({ code: 401, message: 'unauthorized' });
      const wrongAmount = await client.http.post(
        '/payment/cryptopay',
        body,
        client.bearer(await client.paymentToken(inv, 99)),
      );
      expect(wrongAmount.status).toBe(400);
      expect(wrongAmount.data).toMatchObject({
        code: 1001,
        message: 'token does not match the invoice',
        invoiceId: inv,
        id: '',
      });
      const wrongInvoice = await client.http.post(
        '/payment/cryptopay',
        body,
        client.bearer(await client.paymentToken(invoice(), 100)),
      );
      expect(wrongInvoice.data.code).toBe(1001);
      const wrongCurrency = await client.http.post(
        '/payment/cryptopay',
        body,
        client.bearer(await client.paymentToken(inv, 100, { currency: 'USD' })),
      );
      expect(wrongCurrency.data.code).toBe(1001);
      const serviceToken = await client.http.post('/payment/cryptopay', body, client.bearer(await client.token()));
      expect(serviceToken.data.code).toBe(1001);
      expect(sandbox.control.listTransactions()).toHaveLength(0);
    });

    it('rejects an undecryptable cryptogram (1002) and a cryptogram for another terminal (464)', async () => {
      const inv = invoice();
      const token = await client.paymentToken(inv, 100);
      const body = { amount: 100, currency: 'KZT', invoiceId: inv, description: 'd', name: 'n', cardSave: false };
      const garbage = await client.http.post(
        '/payment/cryptopay',
        { ...body, cryptogram: Buffer.alloc(512, 7).toString('base64') },
        client.bearer(token),
      );
      expect(garbage.status).toBe(400);
      expect(garbage.data).toMatchObject({ code: 1002, message: 'cryptogram decrypt error' });
      const other = await client.http.post(
        '/payment/cryptopay',
        { ...body, cryptogram: await client.cryptogram(VISA_OK, 'b861ab50-8387-46c3-be6e-f439d4492c3c') },
        client.bearer(token),
      );
      expect(other.data.code).toBe(464);
    });

    it('enforces invoice rules: 6–15 digits, unique last 6, no second payment, 505 after three failures', async () => {
      const short = await client.payCard('12345', 100, VISA_OK);
      expect(short.status).toBe(400);
      expect(short.data.code).toBe(477);

      const inv = invoice();
      expect((await client.payCard(inv, 100, VISA_OK)).status).toBe(200);
      const again = await client.payCard(inv, 100, VISA_OK);
      expect(again.status).toBe(400);
      expect(again.data).toMatchObject({ code: 487, message: ' Not permitted to merchant', id: '' });
      const clash = await client.payCard(`9${inv}`, 100, VISA_OK);
      expect(clash.data.code).toBe(487);

      const failing = invoice();
      for (let i = 0; i < 3; i++) expect((await client.payCard(failing, 100, NO_FUNDS)).data.code).toBe(484);
      const fourth = await client.payCard(failing, 100, VISA_OK);
      expect(fourth.data.code).toBe(505);
      expect(sandbox.control.listTransactions().filter((t) => t.invoiceId === failing)).toHaveLength(3);
    });

    it('saves the card with cardSave + accountId and pays with it on /payments/cards/auth', async () => {
      const inv = invoice();
      const first = await client.payCard(inv, 500, SEED_OK, { cardSave: true, accountId: 'acc-7' });
      const cardId = first.data.cardID as string;
      expect(cardId).toMatch(/^[0-9a-f-]{36}$/);
      const service = await client.token();
      const cards = await client.http.get('/cards/acc-7', client.bearer(service));
      expect(cards.data).toEqual([
        expect.objectContaining({
          ID: cardId,
          CardMask: '4405...5096',
          AccountID: 'acc-7',
          PaymentAvailable: true,
          Terminal: TERMINAL,
          TransactionId: first.data.id,
        }),
      ]);

      const inv2 = invoice();
      const token = await client.paymentToken(inv2, 250);
      const saved = {
        amount: 250,
        currency: 'KZT',
        name: 'n',
        terminalId: TERMINAL,
        invoiceId: inv2,
        description: 'again',
        accountId: 'acc-7',
        paymentType: 'cardId',
        cardId: { id: cardId },
      };
      const paid = await client.http.post('/payments/cards/auth', saved, client.bearer(token));
      expect(paid.status).toBe(200);
      expect(paid.data).toMatchObject({ status: 'CHARGE', cardID: cardId, amount: 250, invoiceID: inv2 });
      expect(sandbox.control.getTransaction(inv2)?.cardMask).toBe('440563...5096');

      const foreign = await client.http.post(
        '/payments/cards/auth',
        { ...saved, invoiceId: invoice(), accountId: 'someone-else' },
        client.bearer(token),
      );
      expect(foreign.status).toBe(400);

      const off = await client.http.post(`/card/deactivate/${cardId}`, {}, client.bearer(service));
      expect(off.data).toEqual({ status: 'card successfully deactivated' });
      const none = await client.http.get('/cards/acc-7', client.bearer(service));
      expect(none.data).toEqual({ code: 1373, message: 'cards not found' });
    });

    it('pays with Google Pay (outcome by last four) and Apple Pay (S4 cryptogramApplePay)', async () => {
      const gp = (last4: string) => ({
        apiVersion: 2,
        apiVersionMinor: 0,
        paymentMethodData: {
          description: `Visa •••• ${last4}`,
          tokenizationData: { type: 'PAYMENT_GATEWAY', token: '{"signature":"x"}' },
          type: 'CARD',
          info: { cardNetwork: 'VISA', cardDetails: last4 },
        },
      });
      const pay = async (extra: Record<string, unknown>) => {
        const inv = invoice();
        const token = await client.paymentToken(inv, 10);
        return client.http.post(
          '/payment/cryptopay',
          {
            amount: 10,
            currency: 'KZT',
            name: 'n',
            invoiceId: inv,
            description: 'd',
            cardSave: false,
            terminalId: TERMINAL,
            ...extra,
          },
          client.bearer(token),
        );
      };
      expect((await pay({ paymentType: 'googlePay', googlePay: gp('1111') })).data.status).toBe('CHARGE');
      expect((await pay({ paymentType: 'googlePay', googlePay: gp('0002') })).data.code).toBe(484);
      expect((await pay({ paymentType: 'googlePay', googlePay: gp('3333') })).data.secure3D).toMatchObject({
        md: expect.any(String),
      });
      expect((await pay({ paymentType: 'ApplePay', cryptogramApplePay: 'decrypted-apple-token' })).data.status).toBe(
        'CHARGE',
      );
      expect((await pay({ paymentType: 'applePay', cryptogramApplePay: 'please decline' })).status).toBe(400);
    });
  });

  describe('3-D Secure', () => {
    async function start3ds(inv: string) {
      const res = await client.payCard(inv, 300, THREE_DS, {
        postLink: `${receiver.url}/ok`,
        cardSave: true,
        accountId: 'acc-3',
      });
      expect(res.status).toBe(200);
      return res.data as { id: string; secure3D: { paReq: string; md: string; action: string } };
    }

    it('returns secure3D, drives the ACS form with OTP 1234, confirms once, then CHARGE + postLink secure "yes"', async () => {
      const inv = invoice();
      const pay = await start3ds(inv);
      expect(pay.secure3D.action).toBe(`${sandbox.url}/acs`);
      expect(pay).toMatchObject({ reference: '', cardID: '', status: 'NEW', invoiceID: inv });
      expect(sandbox.control.getTransaction(inv)?.statusName).toBe('NEW');

      const acs = await driveAcs(pay.secure3D, 'https://merchant.example/3ds', { otp: '1234' });
      expect(acs.termUrl).toBe('https://merchant.example/3ds');
      expect(acs.MD).toBe(pay.secure3D.md);
      expect(Buffer.from(acs.PaRes, 'base64').length).toBeGreaterThan(16);
      expect(receiver.received).toHaveLength(0); // nothing happens before confirm

      const token = await client.token();
      const confirm = await client.http.post(
        '/payment/confirm',
        { ID: pay.id, PaRes: acs.PaRes, MD: acs.MD },
        client.bearer(token),
      );
      expect(confirm.status).toBe(200);
      expect(confirm.headers['content-type']).toMatch(/text\/html/);
      expect(confirm.data).toContain('success.html?');
      expect(confirm.data).toContain(`invoiceID=${inv}`);
      expect(sandbox.control.getTransaction(inv)).toMatchObject({
        statusName: 'CHARGE',
        secure: true,
        cardId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      const [post] = await receiver.waitFor(1);
      expect(post.body).toMatchObject({ code: 'ok', secure: 'yes', invoiceId: inv });

      const twice = await client.http.post(
        '/payment/confirm',
        { ID: pay.id, PaRes: acs.PaRes, MD: acs.MD },
        client.bearer(token),
      );
      expect(twice.status).toBe(400);
      expect(twice.data).toMatchObject({ code: 1005 });
    });

    it('fails 3DS with the #fail button or a wrong OTP: status 3D, reasonCode 473', async () => {
      for (const decision of ['fail', { otp: '0000' }] as const) {
        const inv = invoice();
        const pay = await start3ds(inv);
        const acs = await driveAcs(pay.secure3D, 'https://merchant.example/3ds', decision);
        const confirm = await client.http.post(
          '/payment/confirm',
          { ID: pay.id, PaRes: acs.PaRes, MD: acs.MD },
          client.bearer(await client.paymentToken(inv, 300)),
        );
        expect(confirm.status).toBe(200);
        expect(confirm.data).toContain('code=473');
        expect(sandbox.control.getTransaction(inv)).toMatchObject({ statusName: '3D', reasonCode: 473 });
        const status = await client.http.get(
          `/check-status/payment/transaction/${inv}`,
          client.bearer(await client.token()),
        );
        expect(status.data.transaction).toMatchObject({ statusName: '3D', reasonCode: '473', secure: true });
      }
    });

    it('rejects confirm with an unknown ID or a wrong MD, and a forged PaRes fails the payment', async () => {
      const inv = invoice();
      const pay = await start3ds(inv);
      const token = await client.token();
      const unknown = await client.http.post(
        '/payment/confirm',
        { ID: '00000000-0000-0000-0000-000000000000', PaRes: 'x', MD: pay.secure3D.md },
        client.bearer(token),
      );
      expect(unknown.status).toBe(400);
      expect(unknown.data).toEqual({ code: 1003, message: expect.any(String) });
      const wrongMd = await client.http.post(
        '/payment/confirm',
        { ID: pay.id, PaRes: 'x', MD: 'nope' },
        client.bearer(token),
      );
      expect(wrongMd.data.code).toBe(1004);
      expect(sandbox.control.getTransaction(inv)?.statusName).toBe('NEW');
      await driveAcs(pay.secure3D, 'https://merchant.example/3ds', 'approve');
      const forged = await client.http.post(
        '/payment/confirm',
        { ID: pay.id, PaRes: Buffer.from('forged').toString('base64'), MD: pay.secure3D.md },
        client.bearer(token),
      );
      expect(forged.status).toBe(200);
      expect(sandbox.control.getTransaction(inv)?.statusName).toBe('3D');
    });

    it('asks for 3-D Secure on the seed MasterCard too', async () => {
      const res = await client.payCard(invoice(), 100, SEED_3DS);
      expect(res.status).toBe(200);
      expect(res.data.secure3D).toMatchObject({
        paReq: expect.any(String),
        md: expect.any(String),
        action: `${sandbox.url}/acs`,
      });
    });

    it('serves the ACS page with the ids browser tests use', async () => {
      const inv = invoice();
      const pay = await start3ds(inv);
      const res = await fetch(
        `${pay.secure3D.action}?${new URLSearchParams({ PaReq: pay.secure3D.paReq, MD: pay.secure3D.md, TermUrl: 'https://m.example/t' })}`,
      );
      const html = await res.text();
      expect(html).toContain('<title>Sandbox ACS</title>');
      for (const id of ['acs-form', 'otp', 'submit', 'approve', 'fail']) expect(html).toContain(`id="${id}"`);
    });
  });

  it('encryptCryptogram makes a 512-byte block the sandbox decrypts (round trip through a payment)', async () => {
    const pem = (await client.http.get<string>('/public.rsa', { responseType: 'text' })).data;
    const cg = encryptCryptogram(pem, {
      hpan: NO_FUNDS.pan,
      expDate: NO_FUNDS.exp,
      cvc: NO_FUNDS.cvc,
      terminalId: TERMINAL,
    });
    expect(Buffer.from(cg, 'base64')).toHaveLength(512);
    const inv = invoice();
    const token = await client.paymentToken(inv, 1);
    const res = await client.http.post(
      '/payment/cryptopay',
      { amount: 1, currency: 'KZT', cryptogram: cg, invoiceId: inv, name: 'n', description: 'd', cardSave: false },
      client.bearer(token),
    );
    expect(res.data.code).toBe(484); // the decrypted PAN reached the card table
  });
});
