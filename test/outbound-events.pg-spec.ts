import { DomainEvents } from '../src/common/events/domain-events.service';
import { OutboundDeliveriesRepository } from '../src/modules/outbound-events/outbound-deliveries.repository';
import { RunningSandbox, startSandbox } from '../src/sandbox';
import { api, waitFor } from './setup/api';
import { createTestDatabase, realPostgresUrl } from './setup/test-database';
import { startTestApp, TestApp } from './setup/test-app';
import { WebhookReceiver } from './outbound-events.receiver';

// Two replicas of the app on one PostgreSQL database, both running the delivery worker: SKIP LOCKED claims
// with a lease must send every event exactly once and keep each stream in order. Real PostgreSQL only.
const onPostgres = realPostgresUrl() ? describe : describe.skip;

const STREAMS = 60;
const EVENTS_PER_STREAM = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function emit(app: TestApp, stream: string, step: number | string) {
  return app.dataSource.transaction((m) =>
    app.app.get(DomainEvents).record(m, {
      type: 'transfer.succeeded',
      aggregateType: 'transfer',
      aggregateId: stream,
      data: { id: stream, step },
    }),
  );
}

onPostgres('outbound events with two replicas (real PostgreSQL)', () => {
  let sandbox: RunningSandbox;
  let db: { url: string; drop: () => Promise<void> };
  let a: TestApp;
  let b: TestApp;
  const receiver = new WebhookReceiver();
  let endpoint: { id: string; secret: string };

  beforeAll(async () => {
    await receiver.start();
    sandbox = await startSandbox({ postLink: { dropRate: 1 } });
    db = await createTestDatabase();
    const env = {
      OUTBOUND_EVENTS_ENABLED: 'true',
      // the receiver listens on 127.0.0.1
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      OUTBOUND_EVENTS_INTERVAL_MS: '50',
      // small batches so both replicas keep claiming side by side
      OUTBOUND_EVENTS_BATCH_SIZE: '10',
      OUTBOUND_EVENTS_CONCURRENCY: '4',
      OUTBOUND_EVENTS_TIMEOUT_MS: '2000',
      OUTBOUND_EVENTS_RETRY_SECONDS: Array(20).fill('1').join(','),
      OUTBOUND_EVENTS_RETRY_JITTER_PERCENT: '0',
      LOG_LEVEL: 'warn',
    };
    a = await startTestApp({ sandbox, databaseUrl: db.url, env });
    b = await startTestApp({ sandbox, databaseUrl: db.url, env });
    const res = await api(a, 'admin')
      .post('/v1/admin/webhook-endpoints', { url: `${receiver.baseUrl}/erp`, eventTypes: ['*'] })
      .expect(201);
    endpoint = res.body;
    receiver.secrets.set('/erp', [endpoint.secret]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sandbox?.close();
    await db?.drop();
    await receiver.stop();
  });
  beforeEach(() => {
    receiver.receptions.length = 0;
    receiver.reply = () => ({ status: 200 });
  });

  it(`${STREAMS * EVENTS_PER_STREAM} events written on both replicas while both deliver: each arrives once, in order per stream`, async () => {
    // the receiver is slow and refuses one first attempt in five, so retries and claims of both replicas interleave
    const refused = new Set<string>();
    receiver.reply = (r) => {
      if (r.id.charCodeAt(r.id.length - 1) % 5 === 0 && !refused.has(r.id)) {
        refused.add(r.id);
        return { status: 500, delayMs: 5 };
      }
      return { status: 200, delayMs: 5 + (r.id.charCodeAt(0) % 15) };
    };
    const started = Date.now();
    // streams written in parallel, the events of one stream one after another, alternating replicas
    await Promise.all(
      Array.from({ length: STREAMS }, async (_, s) => {
        for (let step = 1; step <= EVENTS_PER_STREAM; step++) await emit(step % 2 ? a : b, `tr-${s}`, step);
      }),
    );
    const total = STREAMS * EVENTS_PER_STREAM;
    await waitFor(async () => receiver.acceptedCounts().size >= total, 60_000, 100);
    const elapsed = Date.now() - started;
    await sleep(2000); // a double send would show up here

    const counts = receiver.acceptedCounts();
    expect(counts.size).toBe(total);
    const doubles = [...counts.entries()].filter(([, n]) => n !== 1);
    expect(doubles).toEqual([]);
    expect(receiver.accepted().every((r) => r.verifiedWith.length === 1)).toBe(true);
    for (let s = 0; s < STREAMS; s++) {
      const steps = receiver
        .accepted()
        .filter((r) => r.body.data.id === `tr-${s}`)
        .map((r) => r.body.data.step);
      expect(steps).toEqual([1, 2, 3, 4, 5]);
    }
    // every HTTP request is an attempt row, made by one of the two replicas, and both took part
    const attempts: { worker: string; n: number; ok: number }[] = await a.dataSource.query(
      `SELECT worker, count(*)::int AS n, count(*) FILTER (WHERE success)::int AS ok FROM outbound_delivery_attempts GROUP BY worker`,
    );
    expect(attempts).toHaveLength(2);
    expect(attempts.reduce((sum, w) => sum + w.n, 0)).toBe(receiver.receptions.length);
    expect(attempts.reduce((sum, w) => sum + w.ok, 0)).toBe(total);
    for (const w of attempts) expect(w.ok).toBeGreaterThan(total / 10);
    const [{ open }] = await a.dataSource.query(
      `SELECT count(*)::int AS open FROM outbound_deliveries WHERE status <> 'delivered'`,
    );
    expect(open).toBe(0);
    process.stdout.write(
      `outbound events: ${total} events, ${receiver.receptions.length} requests (${refused.size} refused once), ` +
        `${elapsed} ms until all delivered; per replica ${attempts.map((w) => w.ok).join(' / ')}\n`,
    );
  });

  it('concurrent writes to one stream get sequence numbers in commit order; a rollback leaves no gap', async () => {
    const stream = 'tr-concurrent';
    // A holds the stream until it commits; B, started meanwhile on the other replica, waits for it
    const first = a.dataSource.transaction(async (m) => {
      await a.app.get(DomainEvents).record(m, {
        type: 'transfer.succeeded',
        aggregateType: 'transfer',
        aggregateId: stream,
        data: { id: stream, step: 'A' },
      });
      await sleep(700);
    });
    await sleep(150);
    const secondStarted = Date.now();
    const second = emit(b, stream, 'B');
    await first;
    await second;
    expect(Date.now() - secondStarted).toBeGreaterThanOrEqual(400);
    // C rolls back after taking the next number
    await expect(
      b.dataSource.transaction(async (m) => {
        await b.app.get(DomainEvents).record(m, {
          type: 'transfer.succeeded',
          aggregateType: 'transfer',
          aggregateId: stream,
          data: { id: stream, step: 'C' },
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await emit(a, stream, 'D');

    const rows: { step: string; seq: string }[] = await a.dataSource.query(
      `SELECT data->>'step' AS step, stream_seq AS seq FROM outbound_events WHERE aggregate_id = $1 ORDER BY stream_seq`,
      [stream],
    );
    expect(rows.map((r) => `${r.step}${r.seq}`)).toEqual(['A1', 'B2', 'D3']);
    await waitFor(async () => receiver.accepted().filter((r) => r.body.data.id === stream).length >= 3, 10_000);
    expect(
      receiver
        .accepted()
        .filter((r) => r.body.data.id === stream)
        .map((r) => r.body.data.step),
    ).toEqual(['A', 'B', 'D']);
  });

  it('deliveries leased by a replica that died are taken over when the lease ends, and its late settle changes nothing', async () => {
    const stream = 'tr-crashed-claimant';
    const phantom = '00000000-0000-4000-8000-00000000dead';
    // the event commits already claimed by a replica that then vanished (lease 2 s)
    await a.dataSource.transaction(async (m) => {
      await a.app
        .get(DomainEvents)
        .record(m, { type: 'transfer.failed', aggregateType: 'transfer', aggregateId: stream, data: { id: stream } });
      await m.query(
        `UPDATE outbound_deliveries SET lease_until = now() + interval '2 seconds', claim_token = $1,
           attempt_count = attempt_count + 1, total_attempts = total_attempts + 1
         WHERE stream_key = $2`,
        [phantom, `transfer:${stream}`],
      );
    });
    const committed = Date.now();
    await sleep(1000);
    expect(receiver.accepted().filter((r) => r.body.data.id === stream)).toEqual([]);
    await waitFor(async () => receiver.accepted().filter((r) => r.body.data.id === stream).length >= 1, 10_000);
    expect(Date.now() - committed).toBeGreaterThanOrEqual(1900);

    // the receiver sees the request before the replica settles the delivery row: wait for the settle
    const delivery = await waitFor(async () => {
      const [row] = await a.dataSource.query(`SELECT * FROM outbound_deliveries WHERE stream_key = $1`, [
        `transfer:${stream}`,
      ]);
      return row?.status === 'delivered' ? row : undefined;
    }, 5_000);
    expect(delivery).toMatchObject({ status: 'delivered', total_attempts: 2, claim_token: null });
    // the dead replica wakes up and reports a failure: stored as an attempt, the delivery stays delivered
    const settled = await a.app.get(OutboundDeliveriesRepository).settle(
      {
        deliveryId: delivery.id,
        claimToken: phantom,
        eventId: delivery.event_id,
        endpointId: delivery.endpoint_id,
        attempt: 1,
        worker: 'phantom',
        startedAt: new Date(committed),
        durationMs: 1,
        statusCode: null,
        success: false,
        responseExcerpt: null,
        error: 'ECONNRESET',
      },
      { kind: 'retry', delayMs: 1000 },
    );
    expect(settled).toBe(false);
    const [after] = await a.dataSource.query(`SELECT status FROM outbound_deliveries WHERE id = $1`, [delivery.id]);
    expect(after.status).toBe('delivered');
    const [{ n }] = await a.dataSource.query(
      `SELECT count(*)::int AS n FROM outbound_delivery_attempts WHERE delivery_id = $1`,
      [delivery.id],
    );
    expect(n).toBe(2);
    await sleep(500);
    expect(receiver.accepted().filter((r) => r.body.data.id === stream)).toHaveLength(1);
  });
});
