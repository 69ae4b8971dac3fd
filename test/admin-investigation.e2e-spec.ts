import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ACS_APPROVE_OTP, driveAcs, readForm } from '../src/sandbox';
import { api, waitFor } from './setup/api';
import { CARDS, findCardData, paymentBody, uniqueAccount } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

interface Investigation {
  payment: Record<string, unknown>;
  timeline: { at: string; kind: string; summary: string; ref: string }[];
  events: {
    fromStatus: string | null;
    toStatus: string;
    source: string;
    reason: string | null;
    actor: { apiKeyId: string; name: string | null } | null;
  }[];
  exchanges: {
    operation: string;
    outcome: string;
    latencyMs: number;
    httpStatus: number | null;
    request: unknown;
    response: unknown;
  }[];
  postLinkCallbacks: Record<string, unknown>[];
  refunds: { id: string; amount: number; status: string; reason: string; actor: { name: string | null } | null }[];
  operations: unknown[];
  savedCards: { id: string; usedByThisPayment: boolean; savedByThisPayment: boolean; mask: string | null }[];
}

describe('admin investigation view (e2e): a 3-D Secure payment with a refund', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function investigate(id: string): Promise<Investigation> {
    return (await api(t, 'admin').get(`/v1/admin/payments/${id}`).expect(200)).body as Investigation;
  }

  it('tells the whole story: events with actors, redacted exchanges, callbacks, refunds, timeline', async () => {
    const created = await api(t)
      .post(
        '/v1/payments/card',
        paymentBody({ amount: 25000, card: CARDS.threeDsAny, backLink: 'https://shop.example.kz/ok' }),
      )
      .expect(201);
    expect(created.body.status).toBe('requires_3ds');

    // the customer's browser: our redirect page → the bank's ACS → an auto-posting form to our TermUrl
    const page = await request(t.url).get(new URL(created.body.nextAction.url).pathname).expect(200);
    const form = readForm(page.text);
    const acs = await driveAcs(
      { action: form.action, paReq: form.fields.PaReq, md: form.fields.MD },
      form.fields.TermUrl,
      { otp: ACS_APPROVE_OTP },
    );
    expect(acs.termUrl).toBe(`${t.url}/v1/three-ds/${created.body.id}/callback`);
    const back = await fetch(acs.termUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ PaRes: acs.PaRes, MD: acs.MD }),
      redirect: 'manual',
    });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toContain('status=charged');

    const refund = await api(t, 'admin')
      .post(
        `/v1/admin/payments/${created.body.id}/refund`,
        { amount: 5000, reason: 'damaged on delivery' },
        { 'Idempotency-Key': randomUUID() },
      )
      .expect(201);
    expect(refund.body.status).toBe('succeeded');

    const view = await investigate(created.body.id);
    expect(view.payment).toMatchObject({
      id: created.body.id,
      status: 'partially_refunded',
      amount: 25000,
      capturedAmount: 25000,
      refundedAmount: 5000,
      refundable: 20000,
      card: { last4: '3220' },
    });

    const statuses = view.events
      .filter((e) => e.fromStatus !== e.toStatus || e.source !== 'admin')
      .map((e) => `${e.toStatus}/${e.source}`);
    expect(statuses).toEqual(
      expect.arrayContaining(['created/api', 'requires_3ds/api', 'charged/3ds', 'partially_refunded/admin']),
    );
    const requested = view.events.find((e) => e.reason === 'refund.requested: damaged on delivery');
    expect(requested?.actor).toEqual({ apiKeyId: expect.any(String), name: 'test admin' });
    const applied = view.events.find((e) => e.toStatus === 'partially_refunded');
    expect(applied?.actor?.name).toBe('test admin');

    const ops = view.exchanges.map((x) => x.operation);
    expect(ops).toEqual(expect.arrayContaining(['token', 'cryptopay', 'confirm-3ds', 'status', 'refund']));
    expect(ops.indexOf('cryptopay')).toBeLessThan(ops.indexOf('confirm-3ds'));
    expect(ops.indexOf('confirm-3ds')).toBeLessThan(ops.lastIndexOf('refund'));
    expect(view.exchanges.every((x) => typeof x.latencyMs === 'number' && x.latencyMs >= 0)).toBe(true);
    const refundCall = view.exchanges.find((x) => x.operation === 'refund')!;
    expect(refundCall).toMatchObject({
      outcome: 'ok',
      httpStatus: 200,
      request: { externalID: refund.body.id, amount: '50' },
    });
    // the 3-D Secure confirm carried PaRes/MD: stored redacted
    const confirm = view.exchanges.find((x) => x.operation === 'confirm-3ds')!;
    expect(JSON.stringify(confirm.request)).not.toContain(acs.PaRes);

    expect(view.refunds).toEqual([
      expect.objectContaining({
        id: refund.body.id,
        amount: 5000,
        status: 'succeeded',
        reason: 'damaged on delivery',
        actor: expect.objectContaining({ name: 'test admin' }),
      }),
    ]);
    expect(view.operations).toEqual([]);

    // postLink callbacks are the webhooks module's table: included when this deployment has it
    expect(Array.isArray(view.postLinkCallbacks)).toBe(true);
    const [{ exists }] = await t.dataSource.query(
      `SELECT to_regclass('public.postlink_callbacks') IS NOT NULL AS exists`,
    );
    if (exists) {
      const withCallback = await waitFor(async () => {
        const v = await investigate(created.body.id);
        return v.postLinkCallbacks.length ? v : undefined;
      }, 5000);
      expect(withCallback.postLinkCallbacks[0]).toMatchObject({
        paymentId: created.body.id,
        verdict: expect.any(String),
      });
      expect(withCallback.timeline.some((e) => e.kind === 'postlink')).toBe(true);
    }

    // one timeline, oldest first, with every kind of entry
    const times = view.timeline.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const kinds = new Set(view.timeline.map((e) => e.kind));
    for (const kind of ['event', 'exchange', 'refund']) expect(kinds).toContain(kind);
    expect(view.timeline.find((e) => e.kind === 'refund')?.summary).toBe(
      'refund of 5000 KZT requested by test admin: damaged on delivery',
    );

    // nothing secret in what an operator sees
    const text = JSON.stringify(view);
    expect(findCardData(text)).toEqual([]);
    for (const secret of ['yF587AV9Ms94qN2QShFzVR3vFnWkhjbAK3sG', t.clientKey, t.adminKey, acs.PaRes])
      expect(text).not.toContain(secret);
  });

  it('shows the saved card a payment used', async () => {
    const accountId = uniqueAccount('inv');
    const first = await api(t)
      .post('/v1/payments/card', paymentBody({ accountId, saveCard: true, card: CARDS.approve }))
      .expect(201);
    const paid = await api(t)
      .post('/v1/payments/saved-card', paymentBody({ accountId, cardId: first.body.savedCardId, amount: 3000 }))
      .expect(201);
    const view = await investigate(paid.body.id);
    expect(view.savedCards).toEqual([
      expect.objectContaining({
        id: first.body.savedCardId,
        usedByThisPayment: true,
        savedByThisPayment: false,
        mask: expect.stringMatching(/5096$/),
      }),
    ]);
    const saver = await investigate(first.body.id);
    expect(saver.savedCards[0]).toMatchObject({ id: first.body.savedCardId, savedByThisPayment: true });
  });

  it('404 for a payment that does not exist, 400 for a bad id', async () => {
    const missing = await api(t, 'admin').get(`/v1/admin/payments/${randomUUID()}`).expect(404);
    expect(missing.body.error.code).toBe('PAYMENT_NOT_FOUND');
    await api(t, 'admin').get('/v1/admin/payments/123').expect(400);
  });
});
