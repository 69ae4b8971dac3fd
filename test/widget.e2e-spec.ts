import { createHash } from 'node:crypto';
import { ReconciliationRegistry } from '../src/modules/status/reconciliation-registry.service';
import type { ReconciliationQueue } from '../src/modules/status/reconciliation-queue.interface';
import { api } from './setup/api';
import { CARDS, findCardData, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('hosted widget (e2e, over HTTP against the sandbox)', () => {
  let t: TestApp;
  let expiry: ReconciliationQueue;
  beforeAll(async () => {
    t = await startTestApp();
    expiry = t.app
      .get(ReconciliationRegistry)
      .all()
      .find((q) => q.name === 'widget-expiry')!;
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    t.sandbox.control.clearFaults();
    t.sandbox.control.setPostLink({ dropRate: 0 });
  });

  // What the bank's widget does with the object once the customer typed a card: the sandbox's stand-in
  // for payment-api.js posts it, with the token, to its /payform/pay.
  async function payInWidget(
    paymentObject: Record<string, unknown>,
    card: { number: string; expMonth: number; expYear: number; cvc: string },
  ) {
    const { auth, ...fields } = paymentObject as { auth: { access_token: string } };
    const res = await fetch(`${t.sandbox.apiUrl}/payform/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auth.access_token}` },
      body: JSON.stringify({
        ...fields,
        hpan: card.number,
        expDate: `${String(card.expMonth).padStart(2, '0')}${String(card.expYear % 100).padStart(2, '0')}`,
        cvc: card.cvc,
      }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('creates a pending widget payment and returns the object for halyk.showPaymentWidget, without calling the bank to pay', async () => {
    const before = {
      cryptopay: t.sandbox.control.requestCount('cryptopay'),
      oauth: t.sandbox.control.requestCount('oauth'),
    };
    const body = paymentBody({
      amount: 10050,
      name: 'ARMAN ALI',
      invoiceIdAlt: '8564546',
      language: 'kaz',
      metadata: { order: 42 },
    });
    const res = await api(t).post('/v1/payments/widget', body).expect(201);
    const { payment, paymentObject, scriptUrl, expiresAt } = res.body;
    expect(payment).toMatchObject({ status: 'pending', method: 'widget', amount: 10050, card: null, nextAction: null });
    expect(scriptUrl).toBe(`${t.sandbox.apiUrl}/payform/payment-api.js`);
    expect(paymentObject).toEqual({
      invoiceId: payment.invoiceId,
      invoiceIdAlt: '8564546',
      backLink: 'https://shop.example.kz/ok',
      failureBackLink: 'https://shop.example.kz/fail',
      postLink: expect.stringMatching(new RegExp(`^${t.url}/v1/webhooks/epay/post-link\\?pid=${payment.id}&token=`)),
      failurePostLink: expect.stringMatching(
        new RegExp(`^${t.url}/v1/webhooks/epay/failure-post-link\\?pid=${payment.id}&token=`),
      ),
      language: 'kaz',
      description: 'Order 42',
      accountId: body.accountId,
      terminal: '67e34d63-102f-4bd1-898e-370781d0074d',
      amount: 100.5,
      currency: 'KZT',
      name: 'ARMAN ALI',
      data: '{"order":42}',
      // ePay's token reply as received (the sandbox, like the bank, sends expires_in as a string)
      auth: {
        access_token: expect.any(String),
        expires_in: '7200',
        refresh_token: '',
        scope: expect.stringContaining('payment'),
        token_type: 'Bearer',
      },
    });
    expect(Math.abs(new Date(expiresAt).getTime() - (Date.now() + 7200_000))).toBeLessThan(60_000);

    // one token, bound to this invoice and amount, with our postLinks and this payment's secret_hash
    const token = t.sandbox.state.tokens.get(paymentObject.auth.access_token)!;
    expect(token).toMatchObject({
      invoiceId: payment.invoiceId,
      amountMinor: 10050,
      postLink: paymentObject.postLink,
      failurePostLink: paymentObject.failurePostLink,
    });
    const [row] = await t.dataSource.query(`SELECT secret_hash_digest FROM payments WHERE id = $1`, [payment.id]);
    expect(row.secret_hash_digest).toBe(sha256(token.secretHash!));
    expect(t.sandbox.control.requestCount('cryptopay')).toBe(before.cryptopay);
    expect(t.sandbox.control.requestCount('oauth')).toBe(before.oauth + 1);
    expect(t.sandbox.control.getTransaction(payment.invoiceId)).toBeUndefined();

    // while the customer is in the widget, a status check finds nothing and the payment keeps waiting
    const polled = await api(t).get(`/v1/payments/${payment.id}?refresh=true`).expect(200);
    expect(polled.body.status).toBe('pending');
  });

  it('the customer pays in the widget; a status check picks up the outcome', async () => {
    const res = await api(t)
      .post('/v1/payments/widget', paymentBody({ amount: 777 }))
      .expect(201);
    const paid = await payInWidget(res.body.paymentObject, CARDS.approveAny);
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('CHARGE');
    const done = await api(t).get(`/v1/payments/${res.body.payment.id}?refresh=true`).expect(200);
    expect(done.body).toMatchObject({ status: 'charged', capturedAmount: 777, card: { last4: '1111' } });
  });

  it('a declined attempt does not settle the payment while the widget is open; the retry that succeeds does', async () => {
    const res = await api(t).post('/v1/payments/widget', paymentBody()).expect(201);
    const declined = await payInWidget(res.body.paymentObject, CARDS.insufficientFunds);
    expect(declined.body.code).toBe(484);
    const meanwhile = await api(t).get(`/v1/payments/${res.body.payment.id}?refresh=true`).expect(200);
    expect(meanwhile.body.status).toBe('pending');
    const retried = await payInWidget(res.body.paymentObject, CARDS.approveAny);
    expect(retried.body.status).toBe('CHARGE');
    const done = await api(t).get(`/v1/payments/${res.body.payment.id}?refresh=true`).expect(200);
    expect(done.body).toMatchObject({ status: 'charged', failure: null });
  });

  it('a decline is the outcome once the widget token has expired', async () => {
    const res = await api(t).post('/v1/payments/widget', paymentBody()).expect(201);
    const paid = await payInWidget(res.body.paymentObject, CARDS.insufficientFunds);
    expect(paid.body.code).toBe(484);
    await t.dataSource.query(
      `UPDATE widget_sessions SET token_expires_at = now() - interval '1 second' WHERE payment_id = $1`,
      [res.body.payment.id],
    );
    const done = await api(t).get(`/v1/payments/${res.body.payment.id}?refresh=true`).expect(200);
    expect(done.body).toMatchObject({ status: 'failed', failure: { code: 'epay_484' } });
  });

  it('repeating the request with its Idempotency-Key returns the same payment with a fresh token, and no token is ever stored', async () => {
    const body = paymentBody();
    const a = await api(t).post('/v1/payments/widget', body, { 'Idempotency-Key': 'widget-1' }).expect(201);
    const b = await api(t).post('/v1/payments/widget', body, { 'Idempotency-Key': 'widget-1' }).expect(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body.payment.id).toBe(a.body.payment.id);
    expect(b.body.paymentObject.invoiceId).toBe(a.body.paymentObject.invoiceId);
    expect(b.body.paymentObject.auth.access_token).not.toBe(a.body.paymentObject.auth.access_token);
    const [stored] = await t.dataSource.query(
      `SELECT response_body::text AS body, resource_type, resource_id FROM idempotency_keys WHERE key = 'widget-1'`,
    );
    expect(stored).toMatchObject({ resource_type: 'payment', resource_id: a.body.payment.id });
    expect(stored.body).not.toContain(a.body.paymentObject.auth.access_token);
    expect(stored.body).not.toContain('access_token');
    // the newest token's secret is the one a postLink must carry now
    const [row] = await t.dataSource.query(`SELECT secret_hash_digest FROM payments WHERE id = $1`, [
      a.body.payment.id,
    ]);
    expect(row.secret_hash_digest).toBe(
      sha256(t.sandbox.state.tokens.get(b.body.paymentObject.auth.access_token)!.secretHash!),
    );
    // both tokens pay the same invoice, once
    const paid = await payInWidget(b.body.paymentObject, CARDS.approveAny);
    expect(paid.body.status).toBe('CHARGE');
    const again = await payInWidget(a.body.paymentObject, CARDS.approveAny);
    expect(again.body.code).toBe(487);

    // once paid, a repeat gives the payment and nothing to pay with
    await api(t).get(`/v1/payments/${a.body.payment.id}?refresh=true`).expect(200);
    const c = await api(t).post('/v1/payments/widget', body, { 'Idempotency-Key': 'widget-1' }).expect(201);
    expect(c.body).toMatchObject({
      payment: { id: a.body.payment.id, status: 'charged' },
      paymentObject: null,
      expiresAt: null,
    });
  });

  it('a retry after the first attempt died mid-request still gets the widget object, with a fresh token', async () => {
    const body = paymentBody();
    const a = await api(t).post('/v1/payments/widget', body, { 'Idempotency-Key': 'widget-orphan' }).expect(201);
    await t.dataSource.query(
      `UPDATE idempotency_keys SET state = 'in_progress', response_body = NULL, locked_until = now() - interval '1 second' WHERE key = 'widget-orphan'`,
    );
    const b = await api(t).post('/v1/payments/widget', body, { 'Idempotency-Key': 'widget-orphan' }).expect(200);
    expect(b.body).toMatchObject({
      payment: { id: a.body.payment.id, status: 'pending' },
      paymentObject: { invoiceId: a.body.payment.invoiceId },
    });
    expect(b.body.paymentObject.auth.access_token).toEqual(expect.any(String));
  });

  it('no token from the bank: the payment fails at once and there is nothing to show', async () => {
    t.sandbox.control.addFault({ path: 'oauth', type: 'http500', times: 3 });
    const res = await api(t).post('/v1/payments/widget', paymentBody()).expect(201);
    expect(res.body).toMatchObject({
      payment: { status: 'failed', failure: { code: 'GATEWAY_UNAVAILABLE' } },
      paymentObject: null,
      expiresAt: null,
    });
  });

  it('a widget payment nobody paid fails as expired once its token has run out; a paid one is settled instead', async () => {
    const unpaid = await api(t).post('/v1/payments/widget', paymentBody()).expect(201);
    const paidLate = await api(t).post('/v1/payments/widget', paymentBody()).expect(201);
    // the bank's callback gets lost (postLinks go out asynchronously: dropped until the test ends), so
    // only the expiry check can learn that the customer paid
    t.sandbox.control.setPostLink({ dropRate: 1 });
    await payInWidget(paidLate.body.paymentObject, CARDS.approveAny);
    expect((await api(t).get(`/v1/payments/${paidLate.body.payment.id}`).expect(200)).body.status).toBe('pending');
    const [session] = await t.dataSource.query(
      `SELECT extract(epoch from expiry_check_at - token_expires_at)::int AS grace, extract(epoch from token_expires_at - now())::int AS left FROM widget_sessions WHERE payment_id = $1`,
      [unpaid.body.payment.id],
    );
    expect(session.grace).toBe(15 * 60);
    expect(session.left).toBeGreaterThan(7000);
    // not due before the token expires
    expect(await expiry.claimDue(100, 60_000)).not.toContain(unpaid.body.payment.id);

    await t.dataSource.query(
      `UPDATE widget_sessions SET expiry_check_at = now() - interval '1 second' WHERE payment_id IN ($1, $2)`,
      [unpaid.body.payment.id, paidLate.body.payment.id],
    );
    expect(await expiry.oldestDueLagSeconds()).toBeGreaterThan(0);
    const claimed = await expiry.claimDue(100, 60_000);
    expect(claimed).toEqual(expect.arrayContaining([unpaid.body.payment.id, paidLate.body.payment.id]));
    expect(await expiry.reconcile(unpaid.body.payment.id)).toBe('changed');
    expect(await expiry.reconcile(paidLate.body.payment.id)).toBe('changed');

    const a = await api(t).get(`/v1/payments/${unpaid.body.payment.id}`).expect(200);
    expect(a.body).toMatchObject({ status: 'failed', failure: { code: 'widget_expired' } });
    const b = await api(t).get(`/v1/payments/${paidLate.body.payment.id}`).expect(200);
    expect(b.body.status).toBe('charged');
    const rows = await t.dataSource.query(
      `SELECT expiry_check_at, lease_until FROM widget_sessions WHERE payment_id IN ($1, $2)`,
      [unpaid.body.payment.id, paidLate.body.payment.id],
    );
    expect(rows).toEqual([
      { expiry_check_at: null, lease_until: null },
      { expiry_check_at: null, lease_until: null },
    ]);
  });

  it('names the field of bad input', async () => {
    const res = await api(t)
      .post('/v1/payments/widget', paymentBody({ accountId: undefined, amount: 0 }))
      .expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['accountId', 'amount']),
    );
  });

  it('leaves no card data, access tokens or secrets in the logs or the database', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const logs = t.readLogs();
    const dump = await t.dumpDatabase();
    expect(logs.length).toBeGreaterThan(1000);
    const tokens = [...t.sandbox.state.tokens.keys()];
    expect(tokens.length).toBeGreaterThan(8);
    for (const text of [logs, dump]) {
      expect(findCardData(text)).toEqual([]);
      expect(text).not.toContain('yF587AV9Ms94qN2QShFzVR3vFnWkhjbAK3sG');
      for (const token of tokens) expect(text).not.toContain(token);
      for (const record of t.sandbox.state.tokens.values())
        if (record.secretHash) expect(text).not.toContain(record.secretHash);
    }
  });
});
