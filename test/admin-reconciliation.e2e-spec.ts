import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { api } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

interface Mismatch {
  kind: string;
  paymentId: string | null;
  invoiceId: string | null;
  ourStatus: string | null;
  bankStatus: string | null;
  ourAmount: number | null;
  bankAmount: number | null;
  detail: string;
}

describe('admin reconciliation report (e2e): our records against ePay for a period', () => {
  let t: TestApp;
  let from: string;
  let to: string;
  const p: Record<string, { id: string; invoiceId: string; epayTransactionId: string }> = {};

  beforeAll(async () => {
    t = await startTestApp();
    from = new Date(Date.now() - 60_000).toISOString();
    const pay = async (name: string, body: Record<string, unknown>, mode: 'CHARGE' | 'AUTH' = 'CHARGE') => {
      t.sandbox.control.setCaptureMode(mode);
      p[name] = (await api(t).post('/v1/payments/card', paymentBody(body)).expect(201)).body;
    };
    await pay('agrees', { amount: 10000, card: CARDS.approveAny });
    await pay('refunded', { amount: 10000, card: CARDS.approveAny });
    await pay('authorized', { amount: 5000, card: CARDS.approveAny }, 'AUTH');
    await pay('declined', { amount: 3000, card: CARDS.insufficientFunds });
    await pay('amountDrift', { amount: 8000, card: CARDS.approveAny });
    await pay('statusDrift', { amount: 9000, card: CARDS.approveAny });
    await pay('lostHere', { amount: 7000, card: CARDS.approveAny });
    t.sandbox.control.setCaptureMode('CHARGE');
    await api(t, 'admin')
      .post(
        `/v1/admin/payments/${p.refunded.id}/refund`,
        { amount: 2500, reason: 'reconciliation test' },
        { 'Idempotency-Key': randomUUID() },
      )
      .expect(201);

    // drift at the bank that we did not see: a refund made in the cabinet, a cancel
    t.sandbox.state.payments.get(p.amountDrift.epayTransactionId)!.amountMinor = 6000;
    t.sandbox.state.payments.get(p.statusDrift.epayTransactionId)!.statusName = 'CANCEL';
    // our row lost (renamed here) while the bank has it: missing on both sides
    await t.dataSource.query(`UPDATE payments SET invoice_id = '999' || invoice_id WHERE id = $1`, [p.lostHere.id]);
    to = new Date(Date.now() + 60_000).toISOString();
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    t.sandbox.control.clearFaults();
  });

  const report = (qs: string) => api(t, 'admin').get(`/v1/admin/reconciliation?${qs}`);

  it('compares with the /operations registry and reports every kind of mismatch', async () => {
    const res = await report(`from=${from}&to=${to}`).expect(200);
    expect(res.body).toMatchObject({ source: 'registry', registryError: null, complete: true, from, to });
    expect(res.body.counts).toMatchObject({ ourPayments: 7, compared: 7, unchecked: 0 });
    expect(res.body.counts.bankFailuresIgnored).toBeGreaterThanOrEqual(0);
    const byKind = (kind: string) => (res.body.mismatches as Mismatch[]).filter((m) => m.kind === kind);

    expect(byKind('amount_differs')).toEqual([
      expect.objectContaining({
        paymentId: p.amountDrift.id,
        ourAmount: 8000,
        bankAmount: 6000,
        detail: 'amount after charge and refunds',
      }),
    ]);
    expect(byKind('status_differs')).toEqual([
      expect.objectContaining({
        paymentId: p.statusDrift.id,
        ourStatus: 'charged',
        bankStatus: 'CANCEL',
        detail: 'ours charged, bank cancelled',
      }),
    ]);
    expect(byKind('missing_at_bank')).toEqual([
      expect.objectContaining({ paymentId: p.lostHere.id, invoiceId: `999${p.lostHere.invoiceId}` }),
    ]);
    expect(byKind('missing_here')).toEqual([
      expect.objectContaining({
        paymentId: null,
        invoiceId: p.lostHere.invoiceId,
        bankStatus: 'CHARGE',
        bankAmount: 7000,
      }),
    ]);
    // the partial refund, the authorisation and the decline agree
    const flagged = new Set((res.body.mismatches as Mismatch[]).map((m) => m.paymentId));
    for (const name of ['agrees', 'refunded', 'authorized', 'declined']) expect(flagged.has(p[name].id)).toBe(false);
    expect(res.body.mismatches).toHaveLength(4);
  });

  it('as CSV, by ?format=csv or Accept: text/csv', async () => {
    const res = await report(`from=${from}&to=${to}&format=csv`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="reconciliation-/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'kind,paymentId,invoiceId,epayTransactionId,ourStatus,bankStatus,ourAmount,bankAmount,currency,detail',
    );
    expect(lines).toHaveLength(5);
    expect(
      lines.some((l) => l.startsWith(`amount_differs,${p.amountDrift.id},`) && l.includes(',8000,6000,KZT,')),
    ).toBe(true);

    const byAccept = await request(t.url)
      .get(`/v1/admin/reconciliation?from=${from}&to=${to}`)
      .set('X-API-Key', t.adminKey)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(byAccept.text).toBe(res.text);
  });

  it('falls back to per-payment status checks when the registry is refused, and says so', async () => {
    t.sandbox.control.addFault({ path: 'operations', type: 'http500', times: -1 });
    const before = t.sandbox.control.requestCount('check-status');
    const res = await report(`from=${from}&to=${to}`).expect(200);
    expect(res.body).toMatchObject({
      source: 'status_checks',
      registryError: 'unavailable (HTTP 500)',
      complete: true,
    });
    expect(res.body.warnings[0]).toContain('cannot be found');
    expect(t.sandbox.control.requestCount('check-status') - before).toBe(7);
    const kinds = (res.body.mismatches as Mismatch[]).map((m) => `${m.kind}:${m.paymentId}`).sort();
    // without the registry nothing can be "missing here"
    expect(kinds).toEqual(
      [
        `amount_differs:${p.amountDrift.id}`,
        `missing_at_bank:${p.lostHere.id}`,
        `status_differs:${p.statusDrift.id}`,
      ].sort(),
    );
  });

  it('bounds the period and validates it, naming the field', async () => {
    const long = await report('from=2025-01-01&to=2025-02-02').expect(400);
    expect(long.body.error.details).toEqual([{ field: 'to', message: 'the period may be at most 31 days' }]);
    const backwards = await report('from=2025-02-01&to=2025-01-01').expect(400);
    expect(backwards.body.error.details[0].field).toBe('to');
    const missing = await report('to=2025-01-01').expect(400);
    expect(missing.body.error.details[0].field).toBe('from');
    const format = await report('from=2025-01-01&to=2025-01-02&format=xml').expect(400);
    expect(format.body.error.details[0].field).toBe('format');
  });

  it('an empty period is an empty report', async () => {
    const res = await report('from=2020-01-01&to=2020-01-02').expect(200);
    expect(res.body).toMatchObject({
      source: 'registry',
      complete: true,
      counts: { ourPayments: 0, mismatches: 0 },
      mismatches: [],
    });
  });
});
