import request from 'supertest';
import { DomainEvents } from '../src/common/events/domain-events.service';
import { OutboundDeliveryWorker } from '../src/modules/outbound-events/outbound-delivery.worker';
import { api, waitFor } from './setup/api';
import { startTestApp, TestApp } from './setup/test-app';
import { WebhookReceiver } from './outbound-events.receiver';

// Dead letter, attempt history and range replay, with a retry schedule of seconds. A file of its own: it
// starts its own app, and nestjs-pino keeps one logger per process, so a second app in one file would log
// into the first app's file.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createEndpoint(t: TestApp, receiver: WebhookReceiver, path: string, eventTypes: string[]) {
  const res = await api(t, 'admin')
    .post('/v1/admin/webhook-endpoints', { url: `${receiver.baseUrl}${path}`, eventTypes })
    .expect(201);
  receiver.secrets.set(path, [res.body.secret]);
  return res.body as { id: string; secret: string };
}

async function count(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return n;
}

describe('outbound events: dead letter and replay (e2e)', () => {
  let t: TestApp;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({
      env: {
        OUTBOUND_EVENTS_ENABLED: 'true',
        // the receiver listens on 127.0.0.1
        WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
        OUTBOUND_EVENTS_INTERVAL_MS: '100',
        OUTBOUND_EVENTS_TIMEOUT_MS: '500',
        // first attempt + two retries one second apart, then dead
        OUTBOUND_EVENTS_RETRY_SECONDS: '1,1',
        OUTBOUND_EVENTS_RETRY_JITTER_PERCENT: '0',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  it('dead-letters after the last retry, keeps every attempt, and a range replay delivers it', async () => {
    const endpoint = await createEndpoint(t, receiver, '/dead', ['refund.failed', 'refund.succeeded']);
    const slow = await createEndpoint(t, receiver, '/slow', ['refund.failed']);
    receiver.reply = (r) =>
      r.path === '/slow' ? { status: 200, delayMs: 2000 } : { status: 500, body: `{"error":"${'e'.repeat(3000)}"}` };
    const domainEvents = t.app.get(DomainEvents);
    const since = new Date(Date.now() - 1000).toISOString();
    await t.dataSource.transaction((m) =>
      domainEvents.record(m, {
        type: 'refund.failed',
        aggregateType: 'refund',
        aggregateId: 'rf-dead',
        data: { id: 'rf-dead', paymentId: 'p-dead' },
      }),
    );

    const dead = async () =>
      (
        await t.dataSource.query(
          `SELECT d.* FROM outbound_deliveries d JOIN outbound_events e ON e.id = d.event_id WHERE e.aggregate_id = 'rf-dead' AND d.endpoint_id = $1`,
          [endpoint.id],
        )
      )[0];
    await waitFor(async () => (await dead())?.status === 'dead', 8000);
    const row = await dead();
    expect(row).toMatchObject({
      status: 'dead',
      attempt_count: 3,
      last_status_code: 500,
      last_error: 'HTTP 500',
      lease_until: null,
    });

    const attempts = await t.dataSource.query(
      `SELECT * FROM outbound_delivery_attempts WHERE delivery_id = $1 ORDER BY attempt`,
      [row.id],
    );
    expect(attempts.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2, 3]);
    for (const a of attempts) {
      expect(a).toMatchObject({ success: false, status_code: 500, error: 'HTTP 500' });
      expect(Buffer.byteLength(a.response_excerpt)).toBe(1024);
    }
    // retries waited for the schedule (1 s each)
    const gaps = attempts
      .slice(1)
      .map((a: { started_at: Date }, i: number) => a.started_at.getTime() - attempts[i].started_at.getTime());
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(900);

    // the slow endpoint timed out every time
    await waitFor(
      async () => (await count(t, `SELECT 1 FROM outbound_delivery_attempts WHERE endpoint_id = $1`, [slow.id])) >= 3,
      8000,
    );
    const [timedOut] = await t.dataSource.query(
      `SELECT error, status_code FROM outbound_delivery_attempts WHERE endpoint_id = $1 LIMIT 1`,
      [slow.id],
    );
    expect(timedOut).toEqual({ error: 'timeout after 500 ms', status_code: null });

    const metrics = (await request(t.url).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/outbound_event_attempts_total\{result="dead"\} [1-9]/);
    expect(metrics).toMatch(/outbound_event_attempts_total\{result="failed"\} [1-9]/);

    const deadList = await api(t, 'admin')
      .get(`/v1/admin/webhook-events?status=dead&endpointId=${endpoint.id}`)
      .expect(200);
    expect(deadList.body.items.map((e: { aggregateId: string }) => e.aggregateId)).toEqual(['rf-dead']);
    // one summary line per run with work, a warning per dead letter, never a secret
    const logs = t.readLogs();
    expect(logs).toContain('outbound events delivery run');
    expect(logs).toContain('outbound event delivery is dead after its last retry');
    expect(logs).not.toContain(endpoint.secret);

    // the receiver is fixed: replay the dead letters of the range
    receiver.reply = () => ({ status: 200 });
    const replay = await api(t, 'admin')
      .post('/v1/admin/webhook-events/replay', {
        from: since,
        to: new Date(Date.now() + 1000).toISOString(),
        status: 'dead',
        endpointId: endpoint.id,
      })
      .expect(200);
    expect(replay.body).toEqual({ replayed: 1 });
    await waitFor(async () => receiver.accepted('/dead').length >= 1, 5000);
    const received = receiver.accepted('/dead');
    expect(received).toHaveLength(1);
    expect(received[0].verifiedWith).toEqual([endpoint.secret]);
    expect(await dead()).toMatchObject({
      status: 'delivered',
      attempt_count: 1,
      total_attempts: 4,
      replay_count: 1,
      dead_at: null,
    });
    // nothing else was in that range to replay
    const again = await api(t, 'admin')
      .post('/v1/admin/webhook-events/replay', {
        from: since,
        to: new Date().toISOString(),
        status: 'dead',
        endpointId: endpoint.id,
      })
      .expect(200);
    expect(again.body).toEqual({ replayed: 0 });
    await sleep(300);
    expect(receiver.accepted('/dead')).toHaveLength(1);

    // deleting an endpoint cancels what it still had open
    await api(t, 'admin').del(`/v1/admin/webhook-endpoints/${slow.id}`).expect(204);
    const slowStates = await t.dataSource.query(
      `SELECT DISTINCT status FROM outbound_deliveries WHERE endpoint_id = $1`,
      [slow.id],
    );
    expect(slowStates.map((s: { status: string }) => s.status)).not.toContain('pending');
  });
  // last in this file: it stops the app's worker
  it('on shutdown, claimed deliveries not yet attempted are handed back at once, the ones in flight settle', async () => {
    const endpoint = await createEndpoint(t, receiver, '/shutdown', ['transfer.succeeded']);
    receiver.reply = () => ({ status: 200, delayMs: 300 });
    const domainEvents = t.app.get(DomainEvents);
    // one transaction: the worker's next run sees all 15 and claims them in one batch (concurrency 10)
    await t.dataSource.transaction(async (m) => {
      for (let i = 0; i < 15; i++) {
        await domainEvents.record(m, {
          type: 'transfer.succeeded',
          aggregateType: 'transfer',
          aggregateId: `ts-${i}`,
          data: { id: `ts-${i}` },
        });
      }
    });
    await waitFor(async () => receiver.receptions.filter((r) => r.path === '/shutdown').length >= 1, 5000, 5);
    await t.app.get(OutboundDeliveryWorker).onModuleDestroy();

    const rows: { status: string; leased: boolean; attempt_count: number; total_attempts: number; n: number }[] =
      await t.dataSource.query(
        `SELECT status, lease_until IS NOT NULL AS leased, attempt_count, total_attempts, count(*)::int AS n
       FROM outbound_deliveries WHERE endpoint_id = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1`,
        [endpoint.id],
      );
    expect(rows).toEqual([
      { status: 'delivered', leased: false, attempt_count: 1, total_attempts: 1, n: 10 },
      { status: 'pending', leased: false, attempt_count: 0, total_attempts: 0, n: 5 },
    ]);
    expect(receiver.accepted('/shutdown')).toHaveLength(10);
  });
});
