import request from 'supertest';
import { api } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

// Issue 13 item 10: bodies nested deeper than the parser's limit are a 400 naming the body (not a
// class-transformer recursion 500), and NUL / lone surrogates are found at every depth.
describe('deep JSON bodies (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const nested = (depth: number, leaf: unknown): unknown => {
    let v = leaf;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  };
  const nestedObject = (depth: number, leaf: unknown): Record<string, unknown> => {
    let v: unknown = leaf;
    for (let i = 0; i < depth; i++) v = { k: v };
    return v as Record<string, unknown>;
  };

  it('a 1,500-deep array on the public 3-D Secure callback → 400 naming the body', async () => {
    const res = await request(t.url)
      .post('/v1/three-ds/00000000-0000-4000-8000-000000000000/callback')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ PaRes: nested(1500, 'x'), MD: 'y' }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'nested deeper than 32 levels' }],
    });
  });

  it('a deep body on an authenticated route is the same 400, and nothing is created', async () => {
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM payments`);
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny, metadata: nestedObject(40, 'x') }))
      .expect(400);
    expect(res.body.error.details).toEqual([{ field: 'body', message: 'nested deeper than 32 levels' }]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM payments`)).toEqual(before);
  });

  it.each([
    ['NUL', '\u0000'],
    ['a lone surrogate', '\uD800'],
  ])('%s deeper than 32 levels inside metadata → 400, never a 500 at INSERT', async (_n, bad) => {
    const res = await api(t).post(
      '/v1/payments/card',
      paymentBody({ card: CARDS.approveAny, metadata: nestedObject(40, `x${bad}y`) }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'body', message: 'nested deeper than 32 levels' }]);
  });

  it.each([
    ['NUL', '\u0000'],
    ['a lone surrogate', '\uD800'],
  ])('%s at the deepest level the parser allows → 400 naming the field', async (_n, bad) => {
    // body, metadata, a and 29 more objects: 32 levels, the string inside the deepest one
    const res = await api(t).post(
      '/v1/payments/card',
      paymentBody({ card: CARDS.approveAny, metadata: { a: nestedObject(29, `x${bad}y`) } }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({
      field: expect.stringMatching(/^metadata\.a(\.k){29}$/),
      message: 'contains a NUL character or invalid Unicode',
    });
  });
});
