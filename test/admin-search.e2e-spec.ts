import { randomUUID } from 'node:crypto';
import { api } from './setup/api';
import { CARDS, paymentBody, uniqueAccount } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

interface Row {
  id: string;
  invoiceId: string;
  status: string;
  amount: number;
  accountId: string;
  reference: string | null;
  epayTransactionId: string | null;
  card: { last4: string | null } | null;
  needsAttention: boolean;
  createdAt: string;
}

describe('admin search (e2e): every filter, keyset pages, bad filters', () => {
  let t: TestApp;
  const all: Row[] = [];
  const accountA = uniqueAccount('search-a');
  const accountB = uniqueAccount('search-b');

  beforeAll(async () => {
    t = await startTestApp();
    const make = async (body: Record<string, unknown>, mode: 'CHARGE' | 'AUTH' = 'CHARGE') => {
      t.sandbox.control.setCaptureMode(mode);
      const res = await api(t).post('/v1/payments/card', paymentBody(body)).expect(201);
      return res.body as Row;
    };
    const made = [
      await make({ accountId: accountA, amount: 1000, card: CARDS.approve }),
      await make({ accountId: accountA, amount: 2000, card: CARDS.approveAny }),
      await make({ accountId: accountA, amount: 3000, card: CARDS.insufficientFunds }),
      await make({ accountId: accountB, amount: 4000, card: CARDS.approveAny }, 'AUTH'),
      await make({ accountId: accountB, amount: 5000, card: CARDS.approve }),
      await make({ accountId: accountB, amount: 6000, card: CARDS.approveAny }, 'AUTH'),
      await make({ accountId: accountB, amount: 7000, card: CARDS.insufficientFunds }),
    ];
    t.sandbox.control.setCaptureMode('CHARGE');
    // fixed creation times, three of them equal (the id breaks the tie), one day apart otherwise
    const times = [
      '2025-03-01T10:00:00.000001Z',
      '2025-03-02T10:00:00Z',
      '2025-03-03T10:00:00Z',
      '2025-03-03T10:00:00Z',
      '2025-03-03T10:00:00Z',
      '2025-03-04T10:00:00.5Z',
      '2025-03-05T10:00:00Z',
    ];
    for (const [i, p] of made.entries())
      await t.dataSource.query(`UPDATE payments SET created_at = $2 WHERE id = $1`, [p.id, times[i]]);
    await t.dataSource.query(`UPDATE payments SET needs_attention = true, attention_reason = 'test' WHERE id = $1`, [
      made[4].id,
    ]);
    const listed = await api(t, 'admin').get('/v1/admin/payments?limit=100').expect(200);
    all.push(...(listed.body.data as Row[]));
    expect(all).toHaveLength(7);
  });
  afterAll(async () => {
    await t?.close();
  });

  const ids = (rows: Row[]) => rows.map((r) => r.id);
  const search = async (qs: string): Promise<Row[]> =>
    (await api(t, 'admin').get(`/v1/admin/payments?limit=100&${qs}`).expect(200)).body.data;
  const expected = (pred: (r: Row) => boolean) => ids(all.filter(pred));

  it('orders newest first, ties broken by id, both descending', () => {
    const sorted = [...all].sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );
    expect(ids(all)).toEqual(ids(sorted));
    expect(all[0].createdAt).toBe('2025-03-05T10:00:00.000Z');
  });

  it('walks every page exactly once, also across equal timestamps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { data: Row[]; nextCursor: string | null } } = await api(t, 'admin')
        .get(`/v1/admin/payments?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      seen.push(...ids(res.body.data));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toEqual(ids(all));
  });

  it('keeps microseconds in the cursor (no row lost at a sub-millisecond boundary)', async () => {
    const page = await api(t, 'admin').get(`/v1/admin/payments?limit=6`).expect(200);
    const next = await api(t, 'admin').get(`/v1/admin/payments?limit=6&cursor=${page.body.nextCursor}`).expect(200);
    // the oldest row was created at .000001 s: a millisecond cursor would have skipped it
    expect(ids(next.body.data)).toEqual([all[6].id]);
    expect(next.body.nextCursor).toBeNull();
  });

  it('status: one or several', async () => {
    expect(ids(await search('status=charged'))).toEqual(expected((r) => r.status === 'charged'));
    const several = expected((r) => r.status === 'failed' || r.status === 'authorized');
    expect(several).toHaveLength(4);
    expect(ids(await search('status=failed&status=authorized'))).toEqual(several);
    expect(ids(await search('status=failed,authorized'))).toEqual(several);
  });

  it('date range: from inclusive, to exclusive', async () => {
    expect(ids(await search('createdFrom=2025-03-03T10:00:00Z&createdTo=2025-03-05T10:00:00Z'))).toEqual(
      expected((r) => r.createdAt >= '2025-03-03T10:00:00.000Z' && r.createdAt < '2025-03-05T10:00:00.000Z'),
    );
    expect(await search('createdFrom=2025-03-02&createdTo=2025-03-03')).toHaveLength(1);
    expect(await search('createdTo=2025-03-01T10:00:00%2B00:00')).toHaveLength(0);
  });

  it('invoice id, account, ePay reference and transaction id, card last four', async () => {
    const one = all[3];
    expect(ids(await search(`invoiceId=${one.invoiceId}`))).toEqual([one.id]);
    expect(ids(await search(`accountId=${accountA}`))).toEqual(expected((r) => r.accountId === accountA));
    const charged = all.find((r) => r.reference)!;
    expect(ids(await search(`reference=${charged.reference}`))).toEqual([charged.id]);
    expect(ids(await search(`epayTransactionId=${charged.epayTransactionId}`))).toEqual([charged.id]);
    expect(ids(await search('cardLast4=5096'))).toEqual(expected((r) => r.card?.last4 === '5096'));
    expect(await search('cardLast4=5096')).toHaveLength(2);
  });

  it('amount range in minor units, inclusive', async () => {
    expect(ids(await search('amountMin=2000&amountMax=5000'))).toEqual(
      expected((r) => r.amount >= 2000 && r.amount <= 5000),
    );
    expect(await search('amountMin=7001')).toHaveLength(0);
  });

  it('needs attention', async () => {
    expect(await search('needsAttention=true')).toEqual([
      expect.objectContaining({ needsAttention: true, attentionReason: 'test', amount: 5000 }),
    ]);
    expect(await search('needsAttention=false')).toHaveLength(6);
  });

  it('filters combine', async () => {
    expect(ids(await search(`accountId=${accountB}&status=authorized&amountMin=5000`))).toEqual(
      expected((r) => r.accountId === accountB && r.status === 'authorized' && r.amount >= 5000),
    );
  });

  it.each([
    ['status=settled', 'status'],
    ['createdFrom=yesterday', 'createdFrom'],
    ['createdFrom=2025-03-01T10:00:00', 'createdFrom'],
    ['createdTo=2025-02-01&createdFrom=2025-03-01', 'createdTo'],
    ['invoiceId=12', 'invoiceId'],
    ['cardLast4=12', 'cardLast4'],
    ['amountMin=1.5', 'amountMin'],
    ['amountMin=-1', 'amountMin'],
    ['amountMin=10&amountMax=5', 'amountMax'],
    ['needsAttention=maybe', 'needsAttention'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    ['sort=amount', 'sort'],
  ])('?%s → 400 naming %s', async (qs, field) => {
    const res = await api(t, 'admin').get(`/v1/admin/payments?${qs}`).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('defaults to 20 per page', async () => {
    const res = await api(t, 'admin').get('/v1/admin/payments').expect(200);
    expect(res.body.data).toHaveLength(7);
    expect(res.body.nextCursor).toBeNull();
  });

  describe('refunds list', () => {
    it('filters by status, payment and date, in keyset pages', async () => {
      const charged = all.filter((r) => r.status === 'charged');
      const made: { id: string; paymentId: string; status: string }[] = [];
      for (const p of charged) {
        const res = await api(t, 'admin')
          .post(
            `/v1/admin/payments/${p.id}/refund`,
            { amount: 1000, reason: 'search test' },
            { 'Idempotency-Key': randomUUID() },
          )
          .expect(201);
        made.push(res.body);
      }
      // one the bank refuses (on a payment with something left to refund)
      const last = charged.find((r) => r.amount >= 5000)!;
      t.sandbox.state.payments.get(last.epayTransactionId!)!.statusName = 'CANCEL';
      const refused = await api(t, 'admin').post(
        `/v1/admin/payments/${last.id}/refund`,
        { amount: 1000, reason: 'refused' },
        { 'Idempotency-Key': randomUUID() },
      );
      expect(refused.status).toBe(201);
      expect(refused.body.status).toBe('failed');

      const list = async (qs: string) => (await api(t, 'admin').get(`/v1/admin/refunds?${qs}`).expect(200)).body;
      expect((await list('')).data).toHaveLength(charged.length + 1);
      expect((await list('status=failed')).data.map((r: { id: string }) => r.id)).toEqual([refused.body.id]);
      expect((await list('status=succeeded,pending')).data).toHaveLength(charged.length);
      expect((await list(`paymentId=${last.id}`)).data.map((r: { id: string }) => r.id)).toEqual([
        refused.body.id,
        made.find((r) => r.paymentId === last.id)!.id,
      ]);
      expect((await list('createdFrom=2000-01-01&createdTo=2001-01-01')).data).toEqual([]);

      const first = await list('limit=1');
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await list(`limit=1&cursor=${first.nextCursor}`);
      expect(second.data[0].id).not.toBe(first.data[0].id);

      await api(t, 'admin').get('/v1/admin/refunds?status=done').expect(400);
      await api(t, 'admin').get('/v1/admin/refunds?paymentId=42').expect(400);
    });
  });

  describe('transfers list (the P2P module owns the table)', () => {
    it('lists transfers when the table exists, validates its filters', async () => {
      const [{ exists }] = await t.dataSource.query(`SELECT to_regclass('public.transfers') IS NOT NULL AS exists`);
      const res = await api(t, 'admin').get('/v1/admin/transfers?limit=5');
      if (!exists) {
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('FEATURE_DISABLED');
        return;
      }
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: expect.any(Array), nextCursor: null });
      await api(t, 'admin').get('/v1/admin/transfers?status=DROP%20TABLE').expect(400);
      await api(t, 'admin').get('/v1/admin/transfers?cursor=zzz').expect(400);
      await api(t, 'admin')
        .get('/v1/admin/transfers?status=charged&createdFrom=2025-01-01&needsAttention=false')
        .expect(200);
    });
  });
});
