import request from 'supertest';
import { startTestApp, TestApp } from './setup/test-app';

describe('foundation (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: 'https://shop.example.kz' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers liveness and readiness', async () => {
    await request(t.url).get('/health').expect(200, { status: 'ok' });
    const ready = await request(t.url).get('/health/ready').expect(200);
    expect(ready.body.details.database.status).toBe('up');
  });

  it('serves OpenAPI JSON and UI, and Prometheus metrics', async () => {
    const doc = await request(t.url).get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/payments/card', '/v1/payments/{id}']));
    await request(t.url).get('/docs').expect(200);
    const metrics = await request(t.url).get('/metrics').expect(200);
    expect(metrics.text).toContain('http_request_duration_seconds');
  });

  it('requires an API key: 401 without or with a bad one, in the one error shape', async () => {
    const none = await request(t.url).get('/v1/me').expect(401);
    expect(none.body).toEqual({
      error: { code: 'UNAUTHENTICATED', message: expect.any(String), requestId: expect.any(String) },
    });
    await request(t.url).get('/v1/me').set('Authorization', 'Bearer epk_live_nope').expect(401);
    const me = await request(t.url).get('/v1/me').set('X-API-Key', t.clientKey).expect(200);
    expect(me.body).toMatchObject({ kind: 'secret', role: null, livemode: false });
    await request(t.url).get('/v1/me').set('Authorization', `Bearer ${t.adminKey}`).expect(200);
  });

  it('refuses the wrong role with 403', async () => {
    const res = await request(t.url).get('/v1/admin/api-keys').set('X-API-Key', t.clientKey).expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    const ok = await request(t.url).get('/v1/admin/api-keys').set('X-API-Key', t.adminKey).expect(200);
    expect(JSON.stringify(ok.body)).not.toContain('key_hash');
  });

  it('revokes keys: a revoked key is refused', async () => {
    const created = await request(t.url)
      .post('/v1/admin/api-keys')
      .set('X-API-Key', t.adminKey)
      .send({ name: 'temp', kind: 'secret' })
      .expect(201);
    await request(t.url).get('/v1/me').set('X-API-Key', created.body.key).expect(200);
    await request(t.url).delete(`/v1/admin/api-keys/${created.body.id}`).set('X-API-Key', t.adminKey).expect(204);
    await request(t.url).get('/v1/me').set('X-API-Key', created.body.key).expect(401);
  });

  it('keeps the request id: echoes a sane X-Request-Id and puts it in error bodies', async () => {
    const res = await request(t.url).get('/nope').set('X-Request-Id', 'req-123').expect(404);
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.body.error.requestId).toBe('req-123');
  });

  it('names the wrong field in validation errors (whitelist, forbidNonWhitelisted, types)', async () => {
    const res = await request(t.url)
      .post('/v1/payments/card')
      .set('X-API-Key', t.clientKey)
      .send({
        amount: 10.5,
        currency: 'KZT',
        description: 'x',
        accountId: 'a1',
        hacker: true,
        card: { number: '4111' },
      })
      .expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['amount', 'hacker', 'card.number', 'card.cvc']));
    expect(JSON.stringify(res.body)).not.toContain('4111');
  });

  it('answers malformed JSON and oversized bodies with 4xx, never 500', async () => {
    const bad = await request(t.url)
      .post('/v1/payments/card')
      .set('X-API-Key', t.clientKey)
      .set('Content-Type', 'application/json')
      .send('{"card": {"number": "4405639704015096"')
      .expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(bad.body)).not.toContain('4405639704015096');
    const big = await request(t.url)
      .post('/v1/payments/card')
      .set('X-API-Key', t.clientKey)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ description: 'x'.repeat(200_000) }))
      .expect(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers CORS preflights for configured origins only', async () => {
    const ok = await request(t.url)
      .options('/v1/payments/card')
      .set('Origin', 'https://shop.example.kz')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'x-api-key,idempotency-key,content-type');
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example.kz');
    expect(ok.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/i);
    const other = await request(t.url)
      .options('/v1/payments/card')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sets security headers (helmet)', async () => {
    const res = await request(t.url).get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('logs JSON lines with the request id and without credentials', async () => {
    await request(t.url).get('/v1/me').set('X-API-Key', t.clientKey).set('X-Request-Id', 'log-check-1').expect(200);
    await new Promise((r) => setTimeout(r, 300));
    const lines = t
      .readLogs()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const line = lines.find((l) => l.req?.id === 'log-check-1');
    expect(line).toBeDefined();
    expect(t.readLogs()).not.toContain(t.clientKey);
  });
});
