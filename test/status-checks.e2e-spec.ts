import request from 'supertest';
import { DomainEvent, DomainEvents } from '../src/common/events/domain-events.service';
import { api } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

// GET /v1/payments/:id?refresh=true asks ePay now; each resultCode and statusName must land on the
// right state, and nothing the bank says may bypass the state machine.
describe('status checks (e2e): every resultCode and statusName', () => {
  let t: TestApp;
  const domainEvents: DomainEvent[] = [];

  beforeAll(async () => {
    // callbacks would settle payments behind the tests' backs: ePay "drops" them all here
    t = await startTestApp({ env: { EPAY_TIMEOUT_MS: '1500' }, sandboxOptions: { postLink: { dropRate: 1 } } });
    t.app.get(DomainEvents).register({ record: async (_m, e) => void domainEvents.push(e) });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    t.sandbox.control.clearFaults();
    t.sandbox.control.setCaptureMode('CHARGE');
  });

  const refresh = async (id: string) => (await api(t).get(`/v1/payments/${id}?refresh=true`).expect(200)).body;
  const events = (
    id: string,
  ): Promise<{ from_status: string | null; to_status: string; source: string; reason: string }[]> =>
    t.dataSource.query(
      `SELECT from_status, to_status, source, reason FROM payment_events WHERE payment_id = $1 ORDER BY created_at`,
      [id],
    );

  // the bank processed (commit-then-500) or never saw (http502) the payment; we only know "unknown"
  async function unknownPayment(fault: 'http502' | 'commit-then-500', card: object = CARDS.approveAny) {
    t.sandbox.control.addFault({ path: 'cryptopay', type: fault });
    const res = await api(t).post('/v1/payments/card', paymentBody({ card })).expect(201);
    expect(res.body.status).toBe('unknown');
    return res.body as { id: string; invoiceId: string };
  }

  it('102, 103, 104, 106 and an undocumented code teach nothing; 107 means pending; 101 fails; a final payment is not asked again', async () => {
    const p = await unknownPayment('http502');
    // the real answer: the bank has no such invoice (102), and the payment is young
    expect((await refresh(p.id)).status).toBe('unknown');
    for (const code of ['103', '104', '106', '109']) {
      t.sandbox.control.setStatusOverride(p.invoiceId, code);
      expect((await refresh(p.id)).status).toBe('unknown');
    }
    t.sandbox.control.setStatusOverride(p.invoiceId, '107');
    expect((await refresh(p.id)).status).toBe('pending');
    // still in progress: nothing more happens
    expect((await refresh(p.id)).status).toBe('pending');
    t.sandbox.control.setStatusOverride(p.invoiceId, '101');
    const failed = await refresh(p.id);
    expect(failed).toMatchObject({ status: 'failed', failure: { code: 'epay_rejected', message: 'Declined' } });

    const asked = t.sandbox.control.requestCount('check-status');
    expect((await refresh(p.id)).status).toBe('failed');
    expect(t.sandbox.control.requestCount('check-status')).toBe(asked);
    expect((await events(p.id)).map((e) => `${e.to_status}:${e.source}`)).toEqual([
      'created:api',
      'unknown:api',
      'pending:status_check',
      'failed:status_check',
    ]);
    expect(t.readLogs()).toMatch(/terminal configuration refused \(104\)/);
    t.sandbox.control.setStatusOverride(p.invoiceId, null);
  });

  it('100 CHARGE settles an unknown payment with the exact amount; a decline settles with its reason code', async () => {
    const charged = await unknownPayment('commit-then-500');
    expect(await refresh(charged.id)).toMatchObject({
      status: 'charged',
      amount: 10050,
      capturedAmount: 10050,
      reference: expect.stringMatching(/^\d{12}$/),
    });
    const declined = await unknownPayment('commit-then-500', CARDS.insufficientFunds);
    expect(await refresh(declined.id)).toMatchObject({
      status: 'failed',
      failure: { code: 'epay_484', message: 'Insufficient funds' },
    });
  });

  it('100 AUTH authorises; CANCEL_OLD once the hold lapsed cancels', async () => {
    t.sandbox.control.setCaptureMode('AUTH');
    const p = await unknownPayment('commit-then-500');
    expect(await refresh(p.id)).toMatchObject({ status: 'authorized', capturedAmount: 0 });
    t.sandbox.control.expireAuth(p.invoiceId);
    expect((await refresh(p.id)).status).toBe('cancelled');
  });

  it('100 NEW keeps a 3-D Secure payment waiting for its customer, and its ACS page still works', async () => {
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.threeDsAny }))
      .expect(201);
    expect(res.body.status).toBe('requires_3ds');
    expect(t.sandbox.control.getTransaction(res.body.invoiceId)?.statusName).toBe('NEW');
    const after = await refresh(res.body.id);
    expect(after).toMatchObject({ status: 'requires_3ds', nextAction: { type: 'redirect' } });
    const page = await request(t.url).get(`/v1/three-ds/${res.body.id}`).expect(200);
    expect(page.text).toContain('PaReq');
  });

  it('102 for a payment the bank never acknowledged fails it only after 15 minutes', async () => {
    const p = await unknownPayment('http502');
    expect((await refresh(p.id)).status).toBe('unknown');
    await t.dataSource.query(`UPDATE payments SET created_at = now() - interval '16 minutes' WHERE id = $1`, [p.id]);
    expect(await refresh(p.id)).toMatchObject({ status: 'failed', failure: { code: 'not_found_at_bank' } });
  });

  it('a bank record with another amount flags the payment once (event row + domain event) and never settles it', async () => {
    const p = await unknownPayment('commit-then-500');
    // our row says 100.51 KZT, the bank charged 100.50
    await t.dataSource.query(`UPDATE payments SET amount = 10051 WHERE id = $1`, [p.id]);
    const flagged = await refresh(p.id);
    expect(flagged).toMatchObject({ status: 'unknown', needsAttention: true, capturedAmount: 0 });
    await refresh(p.id);
    const [row] = await t.dataSource.query(`SELECT attention_reason FROM payments WHERE id = $1`, [p.id]);
    expect(row.attention_reason).toBe('amount mismatch: bank reports 10050 KZT for a payment of 10051 KZT');
    const attention = (await events(p.id)).filter((e) => e.reason?.startsWith('needs attention'));
    expect(attention).toEqual([
      {
        from_status: 'unknown',
        to_status: 'unknown',
        source: 'status_check',
        reason: `needs attention: ${row.attention_reason}`,
      },
    ]);
    const published = domainEvents.filter((e) => e.aggregateId === p.id);
    expect(published).toEqual([
      expect.objectContaining({
        type: 'payment.needs_attention',
        aggregateType: 'payment',
        data: expect.objectContaining({ id: p.id, needsAttention: true, attentionReason: row.attention_reason }),
      }),
    ]);
  });

  it('a status the state machine refuses (bank says FAILED for our authorisation) is flagged, not applied', async () => {
    t.sandbox.control.setCaptureMode('AUTH');
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
      .expect(201);
    expect(res.body.status).toBe('authorized');
    t.sandbox.state.latestPayment(res.body.invoiceId)!.statusName = 'FAILED';
    const after = await refresh(res.body.id);
    expect(after).toMatchObject({ status: 'authorized', needsAttention: true });
    const [row] = await t.dataSource.query(`SELECT attention_reason FROM payments WHERE id = $1`, [res.body.id]);
    expect(row.attention_reason).toBe('bank reports failed but the payment is authorized');
  });
});
