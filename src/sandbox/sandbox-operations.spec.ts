import { startSandbox, type RunningSandbox } from './sandbox.server';
import { SandboxTestClient } from './sandbox-test-client.util';
import { startPostLinkReceiver } from './sandbox-testing.util';

const TERMINAL = '67e34d63-102f-4bd1-898e-370781d0074d';
const VISA_OK = { pan: '4111111111111111', exp: '1230', cvc: '123' };
const PENDING = { pan: '4000000000000119', exp: '1230', cvc: '123' };

describe('ePay sandbox: status, charge/cancel/refund, registry, P2P', () => {
  let sandbox: RunningSandbox;
  let client: SandboxTestClient;
  let service: string; // token with terminal, no invoice
  let seq = 500000;
  const invoice = () => String(++seq);
  const status = (inv: string, token = service) =>
    client.http.get(`/check-status/payment/transaction/${inv}`, client.bearer(token));

  beforeAll(async () => {
    sandbox = await startSandbox({ captureMode: 'AUTH' });
    client = new SandboxTestClient(sandbox.url);
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.control.reset();
    service = await client.token();
  });

  describe('check-status', () => {
    it('returns every §7 field with string resultCode and reasonCode', async () => {
      const inv = invoice();
      const pay = await client.payCard(inv, 22.22, VISA_OK, { accountId: 'a1', data: '{"x":1}', email: 'e@x.kz' });
      const res = await status(inv);
      expect(res.status).toBe(200);
      expect(res.data.resultCode).toBe('100');
      expect(res.data.resultMessage).toBe('SUCCESS');
      const t = res.data.transaction;
      expect(t).toMatchObject({
        id: pay.data.id,
        invoiceID: inv,
        amount: 22.22,
        orgAmount: 22.22,
        amountBonus: 0,
        currency: 'KZT',
        statusName: 'AUTH',
        reasonCode: '00',
        secure: false,
        terminalID: TERMINAL,
        terminal: expect.stringMatching(/^\d{8}$/),
        accountID: 'a1',
        data: '{"x":1}',
        cardMask: '411111...1111',
        cardType: 'VISA',
      });
      for (const key of [
        'createdDate',
        'payoutAmount',
        'approvalCode',
        'description',
        'language',
        'issuer',
        'reference',
        'reason',
        'intReference',
        'statusID',
        'name',
        'email',
        'phone',
        'cardID',
        'xlsRRN',
        'ip',
        'ipCountry',
        'ipCity',
        'ipRegion',
        'ipDistrict',
        'ipLatitude',
        'ipLongitude',
      ]) {
        expect(t).toHaveProperty(key);
      }
      expect(t.createdDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+05:00$/);
    });

    it('answers 104 without terminal, 106 for another terminal, 102 for an unknown invoice, 401 without token', async () => {
      const noTerminal = await client.token({ terminal: '' });
      expect((await status('123456', noTerminal)).data).toEqual({
        resultCode: '104',
        resultMessage: expect.any(String),
        transaction: null,
      });
      const otherTerminal = await client.token({ terminal: 'b861ab50-8387-46c3-be6e-f439d4492c3c' });
      expect((await status('123456', otherTerminal)).data.resultCode).toBe('106');
      expect((await status('123456')).data).toEqual({
        resultCode: '102',
        resultMessage: expect.any(String),
        transaction: null,
      });
      expect((await client.http.get('/check-status/payment/transaction/123456')).status).toBe(401);
    });

    it('keeps a 454 payment NEW and answers 107 for the first N checks, then settles and posts', async () => {
      const receiver = await startPostLinkReceiver();
      try {
        sandbox.control.setPendingStatusChecks(2);
        const inv = invoice();
        const pay = await client.payCard(inv, 100, PENDING, { postLink: `${receiver.url}/ok` });
        expect(pay.status).toBe(400);
        expect(pay.data).toMatchObject({ code: 454, id: expect.any(String) });
        expect(sandbox.control.getTransaction(inv)?.statusName).toBe('NEW');
        expect((await client.payCard(inv, 100, VISA_OK)).data.code).toBe(487); // no double charge while in progress
        expect((await status(inv)).data.resultCode).toBe('107');
        expect((await status(inv)).data.resultCode).toBe('107');
        const final = await status(inv);
        expect(final.data.resultCode).toBe('100');
        expect(final.data.transaction).toMatchObject({ statusName: 'AUTH', reasonCode: '00' });
        const [post] = await receiver.waitFor(1);
        expect(post.body).toMatchObject({ code: 'ok', invoiceId: inv });
      } finally {
        await receiver.close();
      }
    });

    it('honours setStatusOverride and expireAuth (AUTH -> CANCEL_OLD)', async () => {
      const inv = invoice();
      await client.payCard(inv, 100, VISA_OK);
      sandbox.control.setStatusOverride(inv, '103');
      expect((await status(inv)).data).toEqual({
        resultCode: '103',
        resultMessage: expect.any(String),
        transaction: null,
      });
      sandbox.control.setStatusOverride(inv, null);
      sandbox.control.expireAuth(inv);
      expect((await status(inv)).data.transaction.statusName).toBe('CANCEL_OLD');
      expect(() => sandbox.control.expireAuth(inv)).toThrow();
    });
  });

  describe('charge / cancel / refund', () => {
    async function authorised(amount: number) {
      const inv = invoice();
      const res = await client.payCard(inv, amount, VISA_OK);
      expect(res.data.status).toBe('AUTH');
      return { inv, id: res.data.id as string };
    }
    const op = (id: string, name: string, query = '', body?: unknown) =>
      client.http.post(`/operation/${id}/${name}${query}`, body, client.bearer(service));

    it('charges partially (query + body must agree), keeps orgAmount, refuses a second charge', async () => {
      const { inv, id } = await authorised(3000);
      expect((await op(id, 'charge', '?amount=300', { amount: 2400 })).data).toEqual({
        code: 470,
        message: expect.any(String),
      });
      const res = await op(id, 'charge', '?amount=2400', { amount: 2400 });
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ code: 0, message: 'OK' });
      expect(sandbox.control.getTransaction(inv)).toMatchObject({
        statusName: 'CHARGE',
        amount: 2400,
        orgAmount: 3000,
      });
      const again = await op(id, 'charge');
      expect(again.status).toBe(400);
      expect(again.data.code).toBe(100);
      expect((await op(id, 'cancel')).status).toBe(400);
    });

    it('cancels an AUTH and rejects unknown ids', async () => {
      const { inv, id } = await authorised(100);
      expect((await op(id, 'cancel')).data).toEqual({ code: 0, message: 'OK' });
      expect(sandbox.control.getTransaction(inv)?.statusName).toBe('CANCEL');
      expect((await op('00000000-0000-0000-0000-000000000000', 'refund')).status).toBe(400);
    });

    it('refunds partially down to REFUND, enforces the 10 KZT minimum and the remaining amount; a repeated externalID refunds again', async () => {
      const { inv, id } = await authorised(100.5);
      expect((await op(id, 'refund', '?amount=10')).status).toBe(400); // AUTH: not refundable yet
      await op(id, 'charge');
      const tooSmall = await op(id, 'refund', '?amount=9.99');
      expect(tooSmall.status).toBe(400);
      expect(tooSmall.data.code).toBe(470);

      const first = await op(id, 'refund', '?amount=40.25&externalID=r-1');
      expect(first.data).toEqual({ code: 0, message: 'OK', externalID: 'r-1' });
      // no document says the bank de-duplicates externalID: by default neither do we
      const repeat = await op(id, 'refund', '?amount=40.25&externalID=r-1');
      expect(repeat.data).toEqual(first.data);
      expect(sandbox.control.getTransaction(inv)).toMatchObject({
        statusName: 'CHARGE',
        amount: 20,
        orgAmount: 100.5,
      });
      expect(sandbox.control.getTransaction(inv)?.refunds).toHaveLength(2);

      expect((await op(id, 'refund', '', { amount: 20.01 })).data.code).toBe(470); // more than remains
      expect((await op(id, 'refund', '', { amount: 20 })).data).toEqual({ code: 0, message: 'OK' });
      const st = await status(inv);
      expect(st.data.transaction).toMatchObject({ statusName: 'REFUND', amount: 0, orgAmount: 100.5 });
      expect((await op(id, 'refund', '?amount=10')).status).toBe(400);
    });
  });

  describe('registry and legacy status', () => {
    it('lists operations by created_date with paging, and the flat GET /operation/:invoiceId', async () => {
      const invs = [invoice(), invoice(), invoice()];
      for (const inv of invs) await client.payCard(inv, 10, VISA_OK, { accountId: 'reg' });
      const from = new Date(Date.now() - 60_000).toISOString();
      const to = new Date(Date.now() + 60_000).toISOString();
      const body = (size: number, page = 0) => ({
        paging: { page, size },
        searchParameters: [
          { name: 'created_date', method: 'between', searchParameter: [from, to] },
          { name: 'account_id', method: '=', searchParameter: ['reg'] },
        ],
        orderParameters: [{ field: 'created_date', typeOrder: 'ASC' }],
      });
      const res = await client.http.post('/operations', body(2), client.bearer(service));
      expect(res.data.totalCount).toBe(3);
      expect(res.data.records.map((r: { invoiceId: string }) => r.invoiceId)).toEqual(invs.slice(0, 2));
      expect(res.data.records[0]).toMatchObject({
        amount: 10,
        orgAmount: 10,
        status: 'AUTH',
        cardMask: '411111...1111',
      });
      const page2 = await client.http.post('/operations', body(2, 2), client.bearer(service));
      expect(page2.data.records).toHaveLength(1);
      expect(
        (await client.http.post('/operations', { paging: { page: 0, size: 5 } }, client.bearer(service))).status,
      ).toBe(400);

      const flat = await client.http.get(`/operation/${invs[0]}`, client.bearer(service));
      expect(flat.data).toMatchObject({ invoiceId: invs[0], code: 'AUTH', secure: 'false', reasonCode: 0, amount: 10 });
      expect((await client.http.get('/operation/999999', client.bearer(service))).data).toEqual({
        code: 100,
        message: '',
      });
    });
  });

  describe('P2P', () => {
    const transfer = (
      orderId: string,
      amount: number,
      sender: Record<string, unknown>,
      receiver: Record<string, unknown> = { transferType: 'TYPEPAN', cardCred: '4405639704015096' },
    ) => ({
      order: {
        amount,
        currency: 'KZT',
        description: 'p2p',
        id: orderId,
        accountID: 'p2p-user',
        senderEmail: 's@x.kz',
        terminalId: TERMINAL,
      },
      card: { sender, receiver },
    });
    const panSender = (pan: string, save = false) => ({
      save,
      transferType: 'TYPEPAN',
      cvc: '815',
      expire: { month: '01', year: '25' },
      name: 'A A',
      cardCred: pan,
    });

    it('transfers with a transfer-scope token, saves the sender card, reports P2P status; declines use the card table', async () => {
      const order = '8161284658529816';
      const token = await client.token({ scope: 'transfer', invoiceID: order, amount: 100, currency: 'KZT' });
      const res = await client.http.post(
        '/p2p/transfer',
        transfer(order, 100, panSender('4405639704015096', true)),
        client.bearer(token),
      );
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({
        amount: 100,
        fee: 0,
        orderID: order,
        status: 'CHARGE',
        senderCardPAN: '440563...5096',
        senderCardType: 'VISA',
        senderTransferType: 'TYPEPAN',
        receiverCardPAN: '440563...5096',
        receiverTransferType: 'TYPEPAN',
        terminalID: TERMINAL,
        senderCardID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(sandbox.control.getTransaction(order)).toBeUndefined(); // separate namespace

      const st = await client.http.get(`/check-status/p2p/transaction/${order}`, client.bearer(service));
      expect(st.data).toMatchObject({
        result: { code: '100', message: 'SUCCESS' },
        transaction: { p2p: { invoiceID: order, amount: 100, statusName: 'CHARGE' } },
      });
      expect(
        (await client.http.get('/check-status/p2p/transaction/42424242', client.bearer(service))).data.result.code,
      ).toBe('102');

      // S3 posts transfers to /payments/cards/auth; sender by saved cardID
      const order2 = '8161284658529817';
      const t2 = await client.token({ scope: 'transfer', invoiceID: order2, amount: 50, currency: 'KZT' });
      const bySaved = await client.http.post(
        '/payments/cards/auth',
        transfer(order2, 50, { transferType: 'TYPECARDID', cardCred: res.data.senderCardID }),
        client.bearer(t2),
      );
      expect(bySaved.data).toMatchObject({ status: 'CHARGE', senderCardID: res.data.senderCardID });

      const order3 = '8161284658529818';
      const t3 = await client.token({ scope: 'transfer', invoiceID: order3, amount: 50, currency: 'KZT' });
      const declined = await client.http.post(
        '/chdebit/transfer',
        transfer(order3, 50, { ...panSender('4000000000000002'), expire: { month: '12', year: '30' } }),
        client.bearer(t3),
      );
      expect(declined.status).toBe(400);
      expect(declined.data).toMatchObject({ code: 484, invoiceId: order3, reference: '' });
      expect(sandbox.control.getTransfer(order3)?.statusName).toBe('FAILED');
    });

    it('refuses a payment-scope token or a mismatching amount', async () => {
      const order = '7000000001';
      const payToken = await client.token({ invoiceID: order, amount: 100, currency: 'KZT' });
      expect(
        (
          await client.http.post(
            '/p2p/transfer',
            transfer(order, 100, panSender('4405639704015096')),
            client.bearer(payToken),
          )
        ).data.code,
      ).toBe(1001);
      const t = await client.token({ scope: 'transfer', invoiceID: order, amount: 99, currency: 'KZT' });
      expect(
        (await client.http.post('/p2p/transfer', transfer(order, 100, panSender('4405639704015096')), client.bearer(t)))
          .data.code,
      ).toBe(1001);
    });
  });
});
