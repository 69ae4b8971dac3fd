import { EncryptWebhookSecrets1763901400000 } from '../migrations/1763901400000-EncryptWebhookSecrets';
import { api } from './setup/api';
import { startTestApp, TestApp } from './setup/test-app';

// Webhook signing secrets must be usable by us and by nobody holding a database dump.
describe('secrets at rest (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ENCRYPTION_KEY: 'ab'.repeat(32) } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a dump holds no webhook signing secret, current or previous', async () => {
    const shown: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await api(t, 'admin')
        .post('/v1/admin/webhook-endpoints', { url: `https://erp${i}.example.kz/hooks`, eventTypes: ['*'] })
        .expect(201);
      shown.push(res.body.secret);
    }
    const rotated = await api(t, 'admin')
      .post(
        `/v1/admin/webhook-endpoints/${(await api(t, 'admin').get('/v1/admin/webhook-endpoints')).body[0].id}/rotate-secret`,
        {
          graceHours: 24,
        },
      )
      .expect(200);
    shown.push(rotated.body.secret);
    expect(shown.every((s) => /^whsec_[0-9a-f]{64}$/.test(s))).toBe(true);

    const dump = await t.dumpDatabase();
    expect(dump).toContain('outbound_webhook_endpoints');
    expect(dump.match(/whsec_/g) ?? []).toEqual([]);
    for (const s of shown) expect(dump).not.toContain(s.slice(6));
    // the admin list still shows where each secret starts
    const list = await api(t, 'admin').get('/v1/admin/webhook-endpoints').expect(200);
    expect(list.body.map((e: { secretPrefix: string }) => e.secretPrefix).sort()).toEqual(
      [shown[3], shown[1], shown[2]].map((s) => s.slice(0, 10)).sort(),
    );
  });

  it('the migration seals secrets stored in clear before it, and they keep working', async () => {
    const legacy = `whsec_${'c'.repeat(64)}`;
    const [row] = await t.dataSource.query(
      `INSERT INTO outbound_webhook_endpoints (url, event_types, secret, previous_secret, previous_secret_expires_at)
       VALUES ('https://legacy.example.kz/hooks', '{*}', $1, $2, now() + interval '1 hour') RETURNING id`,
      [legacy, `whsec_${'d'.repeat(64)}`],
    );
    const runner = t.dataSource.createQueryRunner();
    const saved = process.env.ENCRYPTION_KEY;
    process.env.ENCRYPTION_KEY = t.env.ENCRYPTION_KEY;
    try {
      await new EncryptWebhookSecrets1763901400000().up(runner);
    } finally {
      if (saved === undefined) delete process.env.ENCRYPTION_KEY;
      else process.env.ENCRYPTION_KEY = saved;
      await runner.release();
    }
    expect((await t.dumpDatabase()).match(/whsec_/g) ?? []).toEqual([]);
    const got = await api(t, 'admin').get(`/v1/admin/webhook-endpoints/${row.id}`).expect(200);
    expect(got.body.secretPrefix).toBe(legacy.slice(0, 10));
  });
});
