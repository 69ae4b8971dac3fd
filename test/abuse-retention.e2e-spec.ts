import request from 'supertest';
import { ReconciliationPollerService } from '../src/modules/status/reconciliation-poller.service';
import { api, waitFor } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

const count = async (t: TestApp, sql: string) =>
  (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`))[0].n as number;

// Investigation data is kept for a configured number of days, then pruned in batches by the poller.
describe('retention (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        RETENTION_GATEWAY_EXCHANGES_DAYS: '30',
        RETENTION_POSTLINK_CALLBACKS_DAYS: '30',
        RETENTION_OUTBOUND_ATTEMPTS_DAYS: '7',
        RETENTION_PAYMENT_EVENT_PAYLOADS_DAYS: '60',
        // tiny batches: several statements per table
        RETENTION_BATCH_SIZE: '2',
        OUTBOUND_EVENTS_ENABLED: 'true',
        OUTBOUND_EVENTS_INTERVAL_MS: '100',
        OUTBOUND_EVENTS_RETRY_SECONDS: '1,1,1',
        OUTBOUND_EVENTS_RETRY_JITTER_PERCENT: '0',
        WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const metric = async (table: string) => {
    const text = (await request(t.url).get('/metrics').expect(200)).text;
    const line = text.split('\n').find((l) => l.startsWith(`retention_rows_removed_total{table="${table}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('removes rows past their retention in batches, keeps the rest, clears old payloads only, and counts them', async () => {
    // nothing listens there: every delivery attempt fails and is recorded
    await api(t, 'admin')
      .post('/v1/admin/webhook-endpoints', { url: 'http://127.0.0.1:9/', eventTypes: ['*'] })
      .expect(201);
    for (let i = 0; i < 6; i++)
      await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.approve }))
        .expect(201);
    await waitFor(async () => (await count(t, 'outbound_delivery_attempts')) >= 6, 10_000);

    // age part of each table: the oldest half of the exchanges and callbacks, all attempts but one
    await t.dataSource.query(
      `UPDATE gateway_exchanges SET created_at = now() - interval '40 days'
        WHERE id IN (SELECT id FROM gateway_exchanges ORDER BY created_at LIMIT (SELECT count(*) / 2 FROM gateway_exchanges))`,
    );
    await t.dataSource.query(
      `INSERT INTO postlink_callbacks (kind, verdict, received_at) SELECT 'success', 'unknown_payment', now() - interval '31 days' FROM generate_series(1, 5)`,
    );
    await t.dataSource.query(
      `UPDATE outbound_delivery_attempts SET created_at = now() - interval '8 days'
        WHERE id <> (SELECT id FROM outbound_delivery_attempts ORDER BY created_at DESC LIMIT 1)`,
    );
    await t.dataSource.query(
      `UPDATE payment_events SET created_at = now() - interval '61 days', data = '{"bank":"payload"}'
        WHERE id IN (SELECT id FROM payment_events ORDER BY created_at LIMIT 3)`,
    );
    const before = {
      exchanges: await count(t, 'gateway_exchanges'),
      oldExchanges: await count(t, `gateway_exchanges WHERE created_at < now() - interval '30 days'`),
      callbacks: await count(t, 'postlink_callbacks'),
      attempts: await count(t, 'outbound_delivery_attempts'),
      oldAttempts: await count(t, `outbound_delivery_attempts WHERE created_at < now() - interval '7 days'`),
      events: await count(t, 'payment_events'),
      withData: await count(t, 'payment_events WHERE data IS NOT NULL'),
    };
    expect(before.oldExchanges).toBeGreaterThanOrEqual(3);
    expect(before.oldAttempts).toBeGreaterThanOrEqual(5);
    expect(before.withData).toBeGreaterThanOrEqual(3);
    // outbound delivery stops adding attempts while we count
    await t.dataSource.query(`UPDATE outbound_webhook_endpoints SET enabled = false`);
    await t.dataSource.query(
      `UPDATE outbound_deliveries SET status = 'cancelled' WHERE status IN ('pending', 'failed')`,
    );
    const attemptsNow = await count(t, 'outbound_delivery_attempts');

    await t.app.get(ReconciliationPollerService).runOnce();

    expect(await count(t, 'gateway_exchanges')).toBe(before.exchanges - before.oldExchanges);
    expect(await count(t, `gateway_exchanges WHERE created_at < now() - interval '30 days'`)).toBe(0);
    expect(await count(t, `postlink_callbacks WHERE received_at < now() - interval '30 days'`)).toBe(0);
    expect(await count(t, 'postlink_callbacks')).toBe(before.callbacks - 5);
    expect(await count(t, `outbound_delivery_attempts WHERE created_at < now() - interval '7 days'`)).toBe(0);
    expect(await count(t, 'outbound_delivery_attempts')).toBeGreaterThanOrEqual(1);
    // events stay (the status history); the three old ones lost their payload
    expect(await count(t, 'payment_events')).toBe(before.events);
    expect(await count(t, 'payment_events WHERE data IS NOT NULL')).toBe(before.withData - 3);

    expect(await metric('gateway_exchanges')).toBe(before.oldExchanges);
    expect(await metric('postlink_callbacks')).toBe(5);
    expect(await metric('outbound_delivery_attempts')).toBe(
      attemptsNow - (await count(t, 'outbound_delivery_attempts')),
    );
    expect(await metric('payment_event_payloads')).toBe(3);

    // each job is rescheduled an interval later; a second run finds nothing due
    const jobs: { id: string; due_in_s: number; total_removed: string }[] = await t.dataSource.query(
      `SELECT id, EXTRACT(EPOCH FROM next_check_at - now())::int AS due_in_s, total_removed FROM retention_jobs ORDER BY id`,
    );
    expect(jobs.map((j) => j.id)).toEqual([
      'customer_sessions',
      'gateway_exchanges',
      'outbound_delivery_attempts',
      'payment_event_payloads',
      'postlink_callbacks',
    ]);
    expect(jobs.every((j) => j.due_in_s > 3000)).toBe(true);
    await t.app.get(ReconciliationPollerService).runOnce();
    expect(await metric('gateway_exchanges')).toBe(before.oldExchanges);
  });

  it('deletes customer sessions some days after they expired, and keeps the others', async () => {
    const accountId = `retention-${Date.now()}`;
    await t.createCustomerSession(accountId);
    await t.createCustomerSession(accountId);
    await t.dataSource.query(
      `UPDATE customer_sessions SET expires_at = now() - interval '8 days'
        WHERE id = (SELECT id FROM customer_sessions WHERE account_id = $1 LIMIT 1)`,
      [accountId],
    );
    await t.dataSource.query(`UPDATE retention_jobs SET next_check_at = now() WHERE id = 'customer_sessions'`);
    await t.app.get(ReconciliationPollerService).runOnce();
    const left = await t.dataSource.query(`SELECT count(*)::int AS n FROM customer_sessions WHERE account_id = $1`, [
      accountId,
    ]);
    expect(left[0].n).toBe(1);
  });
});
