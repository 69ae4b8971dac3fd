import { ReconciliationPollerService } from '../src/modules/status/reconciliation-poller.service';
import { api, waitFor } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { realPostgresUrl } from './setup/test-database';
import { startTestApp, TestApp } from './setup/test-app';
import { WebhookReceiver } from './outbound-events.receiver';

const onPostgres = realPostgresUrl() ? describe : describe.skip;
// FOOTPRINT_PAYMENTS=2000 for the README figure; the suite runs a small sample
const N = Number(process.env.FOOTPRINT_PAYMENTS ?? 150);
const RETAINED = ['gateway_exchanges', 'postlink_callbacks', 'outbound_delivery_attempts'];

// What a payment costs on disk, table by table (pg_total_relation_size: heap, TOAST and indexes), measured
// on real flows: card payment charged, its postLink callback, its outbound events delivered to one endpoint.
onPostgres('storage footprint per payment (real PostgreSQL)', () => {
  let t: TestApp;
  const receiver = new WebhookReceiver();
  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({
      env: {
        OUTBOUND_EVENTS_ENABLED: 'true',
        OUTBOUND_EVENTS_INTERVAL_MS: '100',
        WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
        LOG_LEVEL: 'warn',
        RETENTION_GATEWAY_EXCHANGES_DAYS: '1',
        RETENTION_POSTLINK_CALLBACKS_DAYS: '1',
        RETENTION_OUTBOUND_ATTEMPTS_DAYS: '1',
        RETENTION_PAYMENT_EVENT_PAYLOADS_DAYS: '1',
        RETENTION_BATCH_SIZE: '1000',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  const sizes = async () => {
    await t.dataSource.query('VACUUM ANALYZE');
    const rows: { table: string; bytes: string; rows: string }[] = await t.dataSource.query(
      `SELECT c.relname AS table, pg_total_relation_size(c.oid)::bigint AS bytes, c.reltuples::bigint AS rows
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'`,
    );
    return new Map(rows.map((r) => [r.table, { bytes: Number(r.bytes), rows: Math.max(0, Number(r.rows)) }]));
  };

  it(`measures ${N} payments and what retention leaves`, async () => {
    const res = await api(t, 'admin').post('/v1/admin/webhook-endpoints', {
      url: `${receiver.baseUrl}/footprint`,
      eventTypes: ['*'],
    });
    expect(res.status).toBe(201);
    const before = await sizes();
    for (let i = 0; i < N; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, N - i) }, () =>
          api(t)
            .post('/v1/payments/card', paymentBody({ card: CARDS.approve }))
            .expect(201),
        ),
      );
    }
    // the sandbox sends each payment's postLink a moment later
    const callbacks = await waitFor(async () => {
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM postlink_callbacks`);
      return n >= N ? (n as number) : undefined;
    }, 60_000);
    await waitFor(async () => {
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM outbound_deliveries WHERE status IN ('pending', 'failed')`,
      );
      return n === 0;
    }, 60_000);
    const after = await sizes();
    const perPayment = (m: Map<string, { bytes: number }>, b = before) =>
      [...m].map(([table, { bytes }]) => [table, (bytes - (b.get(table)?.bytes ?? 0)) / N] as const);
    const rows = perPayment(after)
      .filter(([, bytes]) => bytes > 0)
      .sort((a, b) => b[1] - a[1]);
    const total = rows.reduce((s, [, b]) => s + b, 0);
    const retained = rows.filter(([table]) => RETAINED.includes(table)).reduce((s, [, b]) => s + b, 0);
    const gb = (bytesPerPayment: number) => ((bytesPerPayment * 1e6) / 1024 ** 3).toFixed(2);
    const lines = rows.map(
      ([table, b]) => `  ${table.padEnd(28)} ${Math.round(b).toString().padStart(6)} B/payment  ${gb(b)} GiB per 10^6`,
    );
    console.log(
      [
        `storage footprint: ${N} card payments (charged, ${callbacks} postLink callbacks, events delivered to 1 endpoint)`,
        ...lines,
        `  total ${Math.round(total)} B/payment = ${gb(total)} GiB per million payments`,
        `  of which pruned by retention (exchanges, callbacks, attempts): ${gb(retained)} GiB per million`,
      ].join('\n'),
    );
    expect(total).toBeGreaterThan(0);

    // past their retention, the pruned tables give their rows back
    for (const table of ['gateway_exchanges', 'outbound_delivery_attempts']) {
      await t.dataSource.query(`UPDATE ${table} SET created_at = created_at - interval '2 days'`);
    }
    await t.dataSource.query(`UPDATE postlink_callbacks SET received_at = received_at - interval '2 days'`);
    await t.dataSource.query(`UPDATE payment_events SET created_at = created_at - interval '2 days'`);
    await t.dataSource.query(`UPDATE retention_jobs SET next_check_at = now()`);
    for (let i = 0; i < 20; i++) {
      const [{ due }] = await t.dataSource.query(
        `SELECT count(*)::int AS due FROM retention_jobs WHERE next_check_at <= now()`,
      );
      if (!due) break;
      await t.app.get(ReconciliationPollerService).runOnce();
    }
    for (const table of RETAINED) {
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect({ table, n }).toEqual({ table, n: 0 });
    }
  }, 600_000);
});
