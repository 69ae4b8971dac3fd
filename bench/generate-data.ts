import type { Client } from 'pg';
import { ensureDataset } from './lib/dataset';
import { int, sized } from './lib/options';
import { withClient } from './lib/pg';
import { log, note, printTable } from './lib/report';
import { fmt } from './lib/stats';
import type { Benchmark } from './run';

// Large-table data for the reconciliation and admin-search benchmarks, generated inside PostgreSQL
// (INSERT ... SELECT generate_series, in batches): payments with their events, realistic mixes of
// status, age, customer, amount and card, and a fixed set of in-flight payments that are due for a
// status check. Row i is deterministic in shape (ids, invoice ids, references) and random in content.
//
// Distribution (historical rows):
//   created_at  last 365 days, skewed to recent (now - 365 d * r^2)
//   status      70% charged, 12% failed, 4% refunded, 2% partially_refunded, 4% cancelled,
//               3% authorized (only in the last 7 days; older holds ended cancelled), 5% failed (3-D Secure)
//   account_id  200k customers, skewed (acct-0 has a few thousand payments, most have a handful)
//   amount      log-uniform 1 KZT .. 100,000 KZT (100 .. 10,000,000 tiyn); 97% KZT, 2% USD, 1% EUR
//   method      60% card, 20% saved_card, 8% google_pay, 7% apple_pay, 5% widget
//   card        last4 uniform over 0000..9999, BIN-like mask; reference 12 digits on settled payments
//   attention   0.1% needs_attention
// In flight (the first `inFlight` rows, ids 1..inFlight): 50% unknown, 30% pending, 10% created,
// 10% requires_3ds; created in the last 2 hours; next_check_at in the last 5 minutes (due).
// Invoice ids are 200000000000 + i: unique, 12 digits, disjoint from the app's sequence (9 digits).

const STATUS_SQL = `
  CASE
    WHEN i <= $3 THEN CASE WHEN r1 < 0.5 THEN 'unknown' WHEN r1 < 0.8 THEN 'pending' WHEN r1 < 0.9 THEN 'created' ELSE 'requires_3ds' END
    WHEN r1 < 0.70 THEN 'charged'
    WHEN r1 < 0.82 THEN 'failed'
    WHEN r1 < 0.86 THEN 'refunded'
    WHEN r1 < 0.88 THEN 'partially_refunded'
    WHEN r1 < 0.92 THEN 'cancelled'
    WHEN r1 < 0.95 THEN CASE WHEN created_at > $4::timestamptz - interval '7 days' THEN 'authorized' ELSE 'cancelled' END
    ELSE 'failed'
  END`;

// One batch [from, to): payments and, in the same statement, their events.
const BATCH_SQL = `
WITH src AS (
  SELECT i, r1, r2, r3, r4, r5, r6, r7, r8,
         CASE WHEN i <= $3 THEN $4::timestamptz - r2 * interval '2 hours'
              ELSE $4::timestamptz - (r2 * r2) * interval '365 days' - interval '3 hours' END AS created_at
    FROM (SELECT i, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, random() r7, random() r8
            FROM generate_series($1::bigint, $2::bigint - 1) AS i) g
), rows AS (
  SELECT src.*, ${STATUS_SQL} AS status FROM src
), ins AS (
  INSERT INTO payments (invoice_id, method, status, amount, currency, captured_amount, refunded_amount, description,
                        account_id, email, epay_transaction_id, reference, approval_code, card_mask, card_last4, card_type,
                        failure_code, failure_message, callback_token, needs_attention, attention_reason,
                        next_check_at, check_attempts, last_checked_at, created_at, updated_at, finalized_at)
  SELECT (200000000000 + i)::text,
         CASE WHEN r5 < 0.60 THEN 'card' WHEN r5 < 0.80 THEN 'saved_card' WHEN r5 < 0.88 THEN 'google_pay' WHEN r5 < 0.95 THEN 'apple_pay' ELSE 'widget' END,
         status,
         amt,
         CASE WHEN r6 < 0.97 THEN 'KZT' WHEN r6 < 0.99 THEN 'USD' ELSE 'EUR' END,
         CASE WHEN status IN ('charged', 'partially_refunded', 'refunded') THEN amt ELSE 0 END,
         CASE status WHEN 'refunded' THEN amt WHEN 'partially_refunded' THEN amt / 2 ELSE 0 END,
         'Order ' || i,
         'acct-' || floor(200000 * r3 * r3)::int,
         'buyer' || (i % 50000) || '@example.kz',
         CASE WHEN status NOT IN ('created', 'unknown') THEN md5(i::text || ':txn')::uuid::text END,
         CASE WHEN status IN ('charged', 'partially_refunded', 'refunded', 'authorized', 'cancelled') THEN (300000000000 + i)::text END,
         CASE WHEN status IN ('charged', 'partially_refunded', 'refunded', 'authorized', 'cancelled') THEN lpad((i % 1000000)::text, 6, '0') END,
         CASE WHEN status <> 'created' THEN (CASE WHEN r7 < 0.55 THEN '440563' WHEN r7 < 0.9 THEN '552204' ELSE '377514' END) || '******' || lpad(floor(r8 * 10000)::int::text, 4, '0') END,
         CASE WHEN status <> 'created' THEN lpad(floor(r8 * 10000)::int::text, 4, '0') END,
         CASE WHEN status <> 'created' THEN (CASE WHEN r7 < 0.55 THEN 'VISA' WHEN r7 < 0.9 THEN 'MASTERCARD' ELSE 'AMEX' END) END,
         CASE WHEN status = 'failed' THEN (CASE WHEN r4 < 0.5 THEN 'epay_484' WHEN r4 < 0.8 THEN 'epay_462' ELSE 'epay_473' END) END,
         CASE WHEN status = 'failed' THEN 'Declined' END,
         md5(i::text || ':cb'),
         i > $3 AND r4 < 0.001,
         CASE WHEN i > $3 AND r4 < 0.001 THEN 'amount mismatch: bank reports another amount' END,
         CASE WHEN i <= $3 THEN $4::timestamptz - r6 * interval '5 minutes'
              WHEN status = 'authorized' THEN created_at + interval '7 days' END,
         CASE WHEN i <= $3 THEN floor(r7 * 4)::int ELSE 0 END,
         CASE WHEN i <= $3 AND r7 >= 0.25 THEN created_at + interval '30 seconds' END,
         created_at,
         created_at + interval '2 seconds',
         CASE WHEN status IN ('failed', 'refunded', 'cancelled') THEN created_at + interval '5 seconds' END
    FROM (SELECT rows.*, (100 * power(10, r4 * 5))::bigint AS amt FROM rows) r
  RETURNING id, status, created_at
)
INSERT INTO payment_events (payment_id, from_status, to_status, source, reason, created_at)
SELECT ins.id, e.from_status, e.to_status, CASE WHEN e.n = 1 THEN 'api' WHEN e.to_status IN ('refunded', 'partially_refunded') THEN 'admin' ELSE 'api' END,
       'generated', ins.created_at + (e.n - 1) * interval '2 seconds'
  FROM ins
  CROSS JOIN LATERAL unnest(
    CASE ins.status
      WHEN 'charged' THEN ARRAY[NULL, 'created']
      WHEN 'failed' THEN ARRAY[NULL, 'created']
      WHEN 'authorized' THEN ARRAY[NULL, 'created']
      WHEN 'refunded' THEN ARRAY[NULL, 'created', 'charged']
      WHEN 'partially_refunded' THEN ARRAY[NULL, 'created', 'charged']
      WHEN 'cancelled' THEN ARRAY[NULL, 'created', 'authorized']
      WHEN 'created' THEN ARRAY[NULL]::text[]
      ELSE ARRAY[NULL, 'created']
    END,
    CASE ins.status
      WHEN 'charged' THEN ARRAY['created', 'charged']
      WHEN 'failed' THEN ARRAY['created', 'failed']
      WHEN 'authorized' THEN ARRAY['created', 'authorized']
      WHEN 'refunded' THEN ARRAY['created', 'charged', 'refunded']
      WHEN 'partially_refunded' THEN ARRAY['created', 'charged', 'partially_refunded']
      WHEN 'cancelled' THEN ARRAY['created', 'authorized', 'cancelled']
      WHEN 'created' THEN ARRAY['created']
      ELSE ARRAY['created', ins.status]
    END
  ) WITH ORDINALITY AS e(from_status, to_status, n)`;

interface IndexDef {
  name: string;
  def: string;
}

// Secondary indexes are dropped for the bulk load and rebuilt from their own definitions afterwards
// (a sorted build is several times faster than a million random inserts into nine indexes).
async function dropSecondaryIndexes(c: Client): Promise<IndexDef[]> {
  const { rows } = await c.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def
       FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename IN ('payments', 'payment_events')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
  );
  for (const r of rows) await c.query(`DROP INDEX "${r.name}"`);
  return rows;
}

export interface GenerateResult {
  rowsAdded: number;
  seconds: number;
  insertSeconds: number;
  indexSeconds: number;
}

export async function generatePayments(
  url: string,
  from: number,
  to: number,
  inFlight: number,
  batchSize: number,
): Promise<GenerateResult> {
  return withClient(url, async (c) => {
    const started = performance.now();
    await c.query(`SET synchronous_commit = off`);
    await c.query(`SET maintenance_work_mem = '256MB'`);
    const bulk = to - from > 50_000;
    const indexes = bulk ? await dropSecondaryIndexes(c) : [];
    const now = new Date().toISOString();
    for (let a = from; a < to; a += batchSize) {
      const b = Math.min(to, a + batchSize);
      await c.query(BATCH_SQL, [a, b, inFlight, now]);
      if ((b - from) % (batchSize * 5) === 0 || b === to) log(`generate-data: ${b - 1} payments`);
    }
    const insertDone = performance.now();
    for (const idx of indexes) await c.query(idx.def);
    const indexDone = performance.now();
    await c.query(`VACUUM ANALYZE payments`);
    await c.query(`VACUUM ANALYZE payment_events`);
    return {
      rowsAdded: to - from,
      seconds: (performance.now() - started) / 1000,
      insertSeconds: (insertDone - started) / 1000,
      indexSeconds: (indexDone - insertDone) / 1000,
    };
  });
}

export const generateDataBenchmark: Benchmark = {
  name: 'generate-data',
  description: 'create (and keep) the large-table database: --rows (1M) payments + events, --in-flight (10k) due',
  async run() {
    const rows = int('rows', sized(1_000_000, 100_000));
    const inFlight = int('in-flight', sized(10_000, 2_000));
    const ds = await ensureDataset(rows, inFlight, { keep: true });
    const stats = await withClient(ds.url, async (c) => {
      const q = async (sql: string) => (await c.query<{ n: string }>(sql)).rows[0].n;
      return {
        payments: Number(await q(`SELECT count(*) AS n FROM payments`)),
        events: Number(await q(`SELECT count(*) AS n FROM payment_events`)),
        due: Number(await q(`SELECT count(*) AS n FROM payments WHERE next_check_at <= now()`)),
        size: await q(`SELECT pg_size_pretty(pg_database_size(current_database())) AS n`),
      };
    });
    printTable(
      'Generated data',
      ['database', 'payments', 'events', 'due now', 'size', 'generated in'],
      [
        [
          ds.name,
          fmt(stats.payments, 0),
          fmt(stats.events, 0),
          fmt(stats.due, 0),
          stats.size,
          ds.generated ? `${fmt(ds.generated.seconds, 1)} s` : 'reused',
        ],
      ],
    );
    note(`kept: drop it with  psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE ${ds.name} WITH (FORCE)'`);
    return { database: ds.name, ...stats, generated: ds.generated };
  },
};
