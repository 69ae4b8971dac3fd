import request from 'supertest';
import { startTestApp, TestApp } from './setup/test-app';

// /docs and /metrics are public by default in development; production turns docs off and can guard or
// hide metrics.
describe('exposure of /docs and /metrics (e2e)', () => {
  const token = 'metrics-token-0123456789abcdef';
  let guarded: TestApp;
  let hidden: TestApp;
  beforeAll(async () => {
    guarded = await startTestApp({ env: { DOCS_ENABLED: 'false', METRICS_TOKEN: token } });
    hidden = await startTestApp({ env: { METRICS_ENABLED: 'false' } });
  });
  afterAll(async () => {
    await guarded?.close();
    await hidden?.close();
  });

  it('DOCS_ENABLED=false: no OpenAPI UI or JSON', async () => {
    await request(guarded.url).get('/docs').expect(404);
    await request(guarded.url).get('/docs-json').expect(404);
    await request(hidden.url).get('/docs-json').expect(200);
  });

  it('METRICS_TOKEN: /metrics needs the bearer token', async () => {
    const none = await request(guarded.url).get('/metrics').expect(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    await request(guarded.url).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    const ok = await request(guarded.url).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(ok.text).toContain('http_request_duration_seconds');
  });

  it('METRICS_ENABLED=false: /metrics is not there', async () => {
    await request(hidden.url).get('/metrics').expect(404);
  });
});
