import axios from 'axios';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type RunningSandbox } from './sandbox.server';
import { SandboxTestClient } from './sandbox-test-client.util';
import { startPostLinkReceiver, type PostLinkReceiver } from './sandbox-testing.util';

const VISA_OK = { pan: '4111111111111111', exp: '1230', cvc: '123' };
const NO_FUNDS = { pan: '4000000000000002', exp: '1230', cvc: '123' };

describe('ePay sandbox: fault injection, postLink delivery, control API', () => {
  let sandbox: RunningSandbox;
  let client: SandboxTestClient;
  let receiver: PostLinkReceiver;
  let seq = 700000;
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
    receiver.status = 200;
  });

  // Pays with a short client timeout; returns the axios error code or the response.
  async function payRaw(inv: string, extraBody: Record<string, unknown> = {}, timeout = 2000) {
    const token = await client.paymentToken(inv, 100);
    const body = {
      amount: 100,
      currency: 'KZT',
      name: 'n',
      invoiceId: inv,
      description: 'd',
      cardSave: false,
      cryptogram: await client.cryptogram(VISA_OK),
      postLink: `${receiver.url}/ok`,
      ...extraBody,
    };
    return client.http.post('/payment/cryptopay', body, {
      ...client.bearer(token),
      timeout,
      responseType: 'text',
      transformResponse: (x: unknown) => x,
    });
  }
  const errorCode = async (p: Promise<unknown>) =>
    p.then(
      () => 'answered',
      (e: { code?: string }) => e.code ?? 'error',
    );

  describe('faults', () => {
    it('timeout: hangs until the client gives up and does not process the payment', async () => {
      sandbox.control.addFault({ path: 'cryptopay', type: 'timeout' });
      const inv = invoice();
      expect(await errorCode(payRaw(inv, {}, 300))).toBe('ECONNABORTED');
      expect(sandbox.control.getTransaction(inv)).toBeUndefined();
      expect(sandbox.control.requestCount('cryptopay')).toBe(1);
      expect((await payRaw(inv)).status).toBe(200); // times defaults to 1
    });

    it('close() finishes while a request hangs on a timeout fault', async () => {
      const other = await startSandbox();
      other.control.addFault({ path: 'public.rsa', type: 'timeout' });
      const pending = errorCode(axios.get(`${other.url}/public.rsa`));
      await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      await other.close();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await pending).not.toBe('answered');
    });

    it('malformed: HTTP 200 with truncated JSON, nothing processed', async () => {
      sandbox.control.addFault({ path: 'cryptopay', type: 'malformed' });
      const inv = invoice();
      const res = await payRaw(inv);
      expect(res.status).toBe(200);
      expect(() => JSON.parse(res.data as string)).toThrow();
      expect(sandbox.control.getTransaction(inv)).toBeUndefined();
    });

    it('commit-then-500: the money moves and postLink fires, but the client sees 500 — and asked only once', async () => {
      sandbox.control.addFault({ path: 'cryptopay', type: 'commit-then-500' });
      const inv = invoice();
      const res = await payRaw(inv);
      expect(res.status).toBe(500);
      expect(JSON.parse(res.data as string)).toEqual({ code: 500, message: 'Internal Server Error' });
      expect(sandbox.control.getTransaction(inv)?.statusName).toBe('CHARGE');
      const [post] = await receiver.waitFor(1);
      expect(post.body).toMatchObject({ code: 'ok', invoiceId: inv });
      expect(sandbox.control.requestCount('cryptopay')).toBe(1);
      const status = await client.http.get(
        `/check-status/payment/transaction/${inv}`,
        client.bearer(await client.token()),
      );
      expect(status.data.transaction.statusName).toBe('CHARGE');
    });

    it('commit-then-timeout: processed, never answered', async () => {
      sandbox.control.addFault({ path: 'cryptopay', type: 'commit-then-timeout' });
      const inv = invoice();
      expect(await errorCode(payRaw(inv, {}, 300))).toBe('ECONNABORTED');
      expect(sandbox.control.getTransaction(inv)?.statusName).toBe('CHARGE');
    });

    it('commit-then-500 on refund still refunds', async () => {
      const inv = invoice();
      const pay = await client.payCard(inv, 100, VISA_OK);
      sandbox.control.addFault({ path: 'refund', type: 'commit-then-500' });
      const res = await client.http.post(
        `/operation/${pay.data.id}/refund?amount=30`,
        undefined,
        client.bearer(await client.token()),
      );
      expect(res.status).toBe(500);
      expect(sandbox.control.getTransaction(inv)?.amount).toBe(70);
    });

    it('http502 (nginx page), http500, reset; route names vs path substrings; times and delayMs', async () => {
      sandbox.control.addFault({ path: 'oauth', type: 'http502' });
      const bad = await client.http.post('/oauth2/token', '');
      expect(bad.status).toBe(502);
      expect(String(bad.data)).toContain('502 Bad Gateway');

      sandbox.control.addFault({ path: '/check-status/payment', type: 'http500', times: 2 });
      const token = await client.token();
      expect((await client.http.get('/check-status/payment/transaction/111111', client.bearer(token))).status).toBe(
        500,
      );
      expect((await client.http.get('/api/check-status/payment/transaction/111111', client.bearer(token))).status).toBe(
        500,
      );
      expect((await client.http.get('/check-status/payment/transaction/111111', client.bearer(token))).status).toBe(
        200,
      );

      sandbox.control.addFault({ path: 'public.rsa', type: 'reset', delayMs: 100 });
      const started = Date.now();
      expect(await errorCode(client.http.get('/public.rsa'))).toMatch(
        /ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED|socket hang up/,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      expect(sandbox.control.listFaults()).toHaveLength(0);
    });

    it('adds fixed latency to ePay routes', async () => {
      sandbox.control.setLatency(150);
      const started = Date.now();
      await client.http.get('/public.rsa');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      sandbox.control.setLatency(0);
    });
  });

  describe('postLink', () => {
    it('is asynchronous, honours delayMs and duplicates, and records every attempt', async () => {
      sandbox.control.setPostLink({ delayMs: 150, duplicates: 2 });
      const inv = invoice();
      const res = await payRaw(inv);
      expect(res.status).toBe(200);
      expect(receiver.received).toHaveLength(0); // reply came first
      const got = await receiver.waitFor(3);
      expect(got.map((g) => g.body)).toEqual([got[0].body, got[0].body, got[0].body]);
      await sandbox.control.flushPostLinks();
      const deliveries = sandbox.control.getDeliveries();
      expect(deliveries.map((d) => d.attempt)).toEqual([1, 2, 3]);
      expect(deliveries.every((d) => d.status === 200 && !d.dropped && d.invoiceId === inv)).toBe(true);
    });

    it('reset() cancels scheduled callbacks so they cannot leak into the next test', async () => {
      sandbox.control.setPostLink({ delayMs: 200 });
      expect((await payRaw(invoice())).status).toBe(200);
      sandbox.control.reset();
      await sandbox.control.flushPostLinks(); // must not hang on the cancelled job
      await new Promise((r) => setTimeout(r, 250));
      expect(receiver.received).toHaveLength(0);
      expect(sandbox.control.getDeliveries()).toHaveLength(0);
    });

    it('drops deterministically with dropRate 1 and records the drop', async () => {
      sandbox.control.setPostLink({ dropRate: 1 });
      await payRaw(invoice());
      await sandbox.control.flushPostLinks();
      expect(receiver.received).toHaveLength(0);
      const [only, ...rest] = sandbox.control.getDeliveries();
      expect(rest).toHaveLength(0);
      expect(only).toMatchObject({ dropped: true, outcome: 'success' });
      expect(only).not.toHaveProperty('status');
    });

    it('times out against a merchant that never answers, and records receiver errors', async () => {
      const silent = createServer(() => undefined);
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      try {
        sandbox.control.setPostLink({ timeoutMs: 100 });
        await payRaw(invoice(), { postLink: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/cb` });
        await sandbox.control.flushPostLinks();
        expect(sandbox.control.getDeliveries()[0]).toMatchObject({ error: 'timeout' });
        expect(sandbox.control.getDeliveries()[0]).not.toHaveProperty('status');

        receiver.status = 500;
        await payRaw(invoice());
        await sandbox.control.flushPostLinks();
        expect(sandbox.control.getDeliveries()[1]).toMatchObject({ status: 500 });
      } finally {
        silent.closeAllConnections();
        silent.close();
      }
    });

    it('resends on demand and delivers an invoice history out of order (success before the older failure)', async () => {
      const inv = invoice();
      const fail = await client.payCard(inv, 100, NO_FUNDS, { postLink: `${receiver.url}/cb` });
      expect(fail.status).toBe(400);
      await client.payCard(inv, 100, VISA_OK, { postLink: `${receiver.url}/cb` });
      await receiver.waitFor(2);
      expect(receiver.received.map((r) => r.body.code)).toEqual(['error', 'ok']);

      const resent = await sandbox.control.resendPostLink(inv);
      expect(resent[0]).toMatchObject({ reason: 'resend', outcome: 'success', status: 200 });
      const ooo = await sandbox.control.deliverOutOfOrder(inv);
      expect(ooo.map((d) => d.outcome)).toEqual(['success', 'failure']);
      expect(receiver.received.slice(2).map((r) => r.body.code)).toEqual(['ok', 'ok', 'error']);
    });
  });

  describe('HTTP control API', () => {
    it('exposes faults, counts, transactions and reset under /_sandbox without counting itself', async () => {
      const ctl = axios.create({ baseURL: `${sandbox.url}/_sandbox`, validateStatus: () => true });
      expect((await ctl.post('/faults', { path: 'cryptopay', type: 'http500' })).data).toMatchObject({
        id: expect.any(Number),
        type: 'http500',
        times: 1,
      });
      expect((await ctl.post('/faults', { path: 'x', type: 'explode' })).status).toBe(400);
      const inv = invoice();
      expect((await payRaw(inv)).status).toBe(500);
      expect((await ctl.get('/requests/cryptopay')).data).toEqual({ route: 'cryptopay', count: 1 });
      expect((await ctl.get('/requests/cards%2Fauth')).data).toEqual({ route: 'cards/auth', count: 0 });
      const counts = (await ctl.get('/requests')).data as Record<string, number>;
      expect(counts).toMatchObject({ oauth: 1, cryptopay: 1 });
      expect(Object.keys(counts)).not.toContain('unknown'); // /_sandbox calls are not counted

      await ctl.post('/capture-mode', { mode: 'AUTH' });
      expect((await payRaw(inv)).status).toBe(200);
      expect((await ctl.get(`/transactions/${inv}`)).data).toMatchObject({
        invoiceId: inv,
        statusName: 'AUTH',
        amount: 100,
      });
      expect((await ctl.post('/expire-auth', { invoiceId: inv })).data.statusName).toBe('CANCEL_OLD');
      await ctl.post('/reset');
      expect((await ctl.get('/transactions')).data).toEqual([]);
      expect(sandbox.control.requestCount()).toBe(0);
    });
  });
});
