import request from 'supertest';
import { startTestApp, TestApp } from './setup/test-app';

// Low limits so the limiter is exercised in a few requests; the rest of the suite runs without it.
describe('rate limits (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_WINDOW_SECONDS: '60',
        RATE_LIMIT_PER_KEY: '5',
        RATE_LIMIT_PUBLIC_PER_IP: '4',
        RATE_LIMIT_AUTH_FAILURES_PER_IP: '3',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const expectRateLimited = (res: request.Response) => {
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
  };

  it('limits each API key over all its routes with 429 RATE_LIMITED and Retry-After; other keys are not affected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const path = i % 2 ? '/v1/me' : '/v1/crypto/public-key';
      statuses.push((await request(t.url).get(path).set('X-API-Key', t.clientKey)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await request(t.url).get('/v1/me').set('X-API-Key', t.clientKey);
    expectRateLimited(limited);
    // a money-moving POST is refused before it reaches idempotency (409/422 mean something else)
    const post = await request(t.url)
      .post('/v1/payments/card')
      .set('X-API-Key', t.clientKey)
      .set('Idempotency-Key', 'rl-1')
      .send({});
    expectRateLimited(post);
    await request(t.url).get('/v1/me').set('X-API-Key', t.adminKey).expect(200);
  });

  it('limits public routes per client IP', async () => {
    for (let i = 0; i < 4; i++) await request(t.url).get('/health').expect(200);
    expectRateLimited(await request(t.url).get('/health'));
  });

  it('answers a bad-key flood with 429 after a few 401s, before the key is looked up', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await request(t.url).get('/v1/me').set('X-API-Key', `epk_live_guess${i}`);
      statuses.push(res.status);
      if (res.status === 429) expectRateLimited(res);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
    // the blocked address stays blocked for the window, whatever key it presents now
    expectRateLimited(await request(t.url).get('/v1/me').set('X-API-Key', t.adminKey));
  });

  it('is off under NODE_ENV=test unless RATE_LIMIT_ENABLED, so the rest of the suite is never throttled', async () => {
    const plain = await startTestApp({ env: { RATE_LIMIT_PER_KEY: '2', RATE_LIMIT_PUBLIC_PER_IP: '2' } });
    try {
      for (let i = 0; i < 6; i++) {
        await request(plain.url).get('/v1/me').set('X-API-Key', plain.clientKey).expect(200);
        await request(plain.url).get('/health').expect(200);
      }
    } finally {
      await plain.close();
    }
  });
});
