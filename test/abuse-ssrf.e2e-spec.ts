import request from 'supertest';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { api, waitFor } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';
import { WebhookReceiver } from './outbound-events.receiver';

// Webhook endpoints must not turn the service into a proxy to its own network: refused at creation,
// and again when connecting (a name may resolve elsewhere by then).
const HOSTILE_URLS = [
  'http://127.0.0.1/hook',
  'http://127.0.0.1:9100/metrics',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.1/',
  'http://10.255.255.254:8080/',
  'http://172.16.0.1/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://0.0.0.0/',
  'http://0x7f000001/',
  'http://2130706433/',
  'http://0177.0.0.1/',
  'http://127.1/',
  'http://[::1]/',
  'http://[::]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:a9fe:a9fe]/',
  'http://[fe80::1]/',
  'http://[fc00::1]/',
  'http://[64:ff9b::7f00:1]/',
  'http://[2002:7f00:1::]/',
  'http://224.0.0.1/',
  'http://255.255.255.255/',
  'http://240.0.0.1/',
  'http://198.18.0.1/',
  'http://localhost:3000/',
  'http://api.localhost/',
  `http://${hostname()}:8080/`,
];

describe('webhook endpoints and SSRF (e2e)', () => {
  let t: TestApp;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ env: { OUTBOUND_EVENTS_ENABLED: 'true', OUTBOUND_EVENTS_INTERVAL_MS: '100' } });
    t.sandbox.control.setPostLink({ dropRate: 1 });
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  it('refuses private, loopback, link-local, multicast and reserved targets at creation and on update', async () => {
    // the machine's own name resolves to a private or loopback address here: the DNS path is exercised
    expect((await lookup(hostname())).address).toMatch(/^(127\.|10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|::1$)/);
    const accepted: string[] = [];
    for (const url of HOSTILE_URLS) {
      const res = await api(t, 'admin').post('/v1/admin/webhook-endpoints', { url, eventTypes: ['*'] });
      if (res.status !== 400) accepted.push(`${url} → ${res.status}`);
      else expect(res.body.error.details).toEqual([{ field: 'url', message: expect.stringMatching(/^url host /) }]);
    }
    expect(accepted).toEqual([]);
    const ok = await api(t, 'admin')
      .post('/v1/admin/webhook-endpoints', { url: 'https://erp.example.kz/hooks', eventTypes: ['*'] })
      .expect(201);
    const patched = await request(t.url)
      .patch(`/v1/admin/webhook-endpoints/${ok.body.id}`)
      .set('X-API-Key', t.adminKey)
      .send({ url: 'http://[::ffff:169.254.169.254]/latest/' })
      .expect(400);
    expect(patched.body.error.details[0].field).toBe('url');
    await api(t, 'admin').del(`/v1/admin/webhook-endpoints/${ok.body.id}`).expect(204);
  });

  it('refuses at connect time a name that now resolves to a private address (DNS rebinding)', async () => {
    const created = await api(t, 'admin')
      .post('/v1/admin/webhook-endpoints', { url: 'https://erp.example.kz/hooks', eventTypes: ['payment.succeeded'] })
      .expect(201);
    // the name now points at the receiver on this machine, as a rebinding DNS server would arrange
    await t.dataSource.query(`UPDATE outbound_webhook_endpoints SET url = $1 WHERE id = $2`, [
      `http://${hostname()}:${receiver.port}/rebound`,
      created.body.id,
    ]);
    const payment = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approve }))
      .expect(201);
    expect(payment.body.status).toBe('charged');
    const attempt = await waitFor(async () => {
      const [row] = await t.dataSource.query(
        `SELECT a.error, a.status_code, a.response_excerpt FROM outbound_delivery_attempts a
           JOIN outbound_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = $1`,
        [created.body.id],
      );
      return row as { error: string; status_code: number | null; response_excerpt: string | null } | undefined;
    }, 10_000);
    expect(attempt).toEqual({
      error: expect.stringMatching(/^refused: .* resolves to a (loopback|private) address/),
      status_code: null,
      response_excerpt: null,
    });
    expect(receiver.receptions.filter((r) => r.path === '/rebound')).toEqual([]);
  });
});
