import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.setup';
import type { ReconciliationQueue } from '../src/modules/status/reconciliation-queue.interface';
import { ReconciliationRegistry } from '../src/modules/status/reconciliation-registry.service';
import { startAppProcess, type AppProcess } from './lib/app-process';
import { ensureDataset, type Dataset } from './lib/dataset';
import { int, sized, str } from './lib/options';
import { withClient } from './lib/pg';
import { CpuMeter, formatCpu, sleep } from './lib/processes';
import { log, note, printTable } from './lib/report';
import { startSandboxProcess, type SandboxProcess } from './lib/sandbox-process';
import { fmt, round, summarize, type Summary } from './lib/stats';
import type { Benchmark } from './run';

// The poller's cost on a big table, written against the ReconciliationQueue interface
// (src/modules/status/reconciliation-queue.interface.ts), so it measures whatever the `payments`
// queue does today:
//  A. claimDue(batch, lease) time with 10k due payments among 100k and among 1M rows (same due set,
//     leases released between claims outside the timing), plus EXPLAIN ANALYZE of the exact statement
//     the queue sent (captured from its DataSource). The per-batch cost should not grow with the table.
//  B. status checks per minute with the app's own poller enabled (1, then 2 replicas, separate
//     processes) against the sandbox process: the sandbox answers 102 (unknown invoice) for the
//     generated in-flight payments, which is as much work for the poller as any answer.
// If no `payments` queue is registered (poller not written yet), A falls back to REFERENCE_CLAIM_SQL.

export const REFERENCE_CLAIM_SQL = `
  UPDATE payments SET lease_until = now() + $2 * interval '1 millisecond'
   WHERE id IN (SELECT id FROM payments
                 WHERE next_check_at <= now() AND (lease_until IS NULL OR lease_until <= now())
                 ORDER BY next_check_at LIMIT $1 FOR UPDATE SKIP LOCKED)
  RETURNING id`;

interface ClaimMeasurement {
  rows: number;
  source: 'payments queue (app code)' | 'reference SQL (no queue registered)';
  claims: Summary;
  claimedPerBatch: number;
  explain: { executionMs: number; planningMs: number; sharedHit: number; sharedRead: number; nodes: string[] };
  sql: string;
}

interface Captured {
  sql: string;
  params: unknown[];
}

async function bootContext(ds: Dataset, sandboxUrl: string, logFile: string): Promise<NestExpressApplication> {
  const app = await createApp({
    NODE_ENV: 'development',
    DATABASE_URL: ds.url,
    DATABASE_POOL_SIZE: '4',
    EPAY_ENV: 'sandbox',
    EPAY_OAUTH_URL: `${sandboxUrl}/oauth2/token`,
    EPAY_API_URL: sandboxUrl,
    POLLER_ENABLED: 'false',
    OUTBOUND_EVENTS_ENABLED: 'false',
    DEV_API_KEYS: 'false',
    LOG_LEVEL: 'warn',
    LOG_FILE: logFile,
  });
  await app.init();
  return app;
}

function planNodes(plan: Record<string, unknown>, out: string[] = []): string[] {
  const index = plan['Index Name'] ? ` (${String(plan['Index Name'])})` : '';
  out.push(`${String(plan['Node Type'])}${index}`);
  for (const child of (plan.Plans as Array<Record<string, unknown>> | undefined) ?? []) planNodes(child, out);
  return out;
}

async function measureClaims(
  ds: Dataset,
  sandboxUrl: string,
  batch: number,
  leaseMs: number,
  iterations: number,
): Promise<ClaimMeasurement> {
  const logDir = mkdtempSync(join(tmpdir(), 'epay-bench-recon-'));
  const app = await bootContext(ds, sandboxUrl, join(logDir, 'app.log'));
  try {
    const dataSource = app.get(DataSource);
    const queue: ReconciliationQueue | undefined = app
      .get(ReconciliationRegistry)
      .all()
      .find((q) => q.name === 'payments');
    let captured: Captured | undefined;
    const realQuery = dataSource.query.bind(dataSource);
    // the queue's own statement, to EXPLAIN exactly what it runs (its first query of a claim)
    (dataSource as { query: DataSource['query'] }).query = ((sql: string, params?: unknown[]) => {
      if (!captured && /lease_until/i.test(sql) && /skip locked/i.test(sql)) captured = { sql, params: params ?? [] };
      return realQuery(sql, params);
    }) as DataSource['query'];
    const claim = queue
      ? (limit: number, lease: number) => queue.claimDue(limit, lease)
      : async (limit: number, lease: number) => {
          const rows = (await realQuery(REFERENCE_CLAIM_SQL, [limit, lease])) as unknown;
          const list = (Array.isArray(rows) && Array.isArray(rows[0]) ? rows[0] : rows) as Array<{ id: string }>;
          captured ??= { sql: REFERENCE_CLAIM_SQL, params: [limit, lease] };
          return list.map((r) => r.id);
        };
    const release = (ids: string[]) =>
      realQuery(`UPDATE payments SET lease_until = NULL WHERE id = ANY($1::uuid[])`, [ids]);
    await realQuery(`UPDATE payments SET lease_until = NULL WHERE lease_until IS NOT NULL`);

    const times: number[] = [];
    let claimed = 0;
    const warmup = Math.min(20, iterations);
    for (let i = 0; i < warmup + iterations; i++) {
      const t = performance.now();
      const ids = await claim(batch, leaseMs);
      const ms = performance.now() - t;
      // released outside the timing, so every claim sees the same 10k due payments
      await release(ids);
      if (i >= warmup) {
        times.push(ms);
        claimed += ids.length;
      }
    }
    if (!captured) throw new Error('could not capture the claim statement');
    const explainRows = await withClient(ds.url, async (c) => {
      await c.query('BEGIN');
      try {
        return (
          await c.query<{ 'QUERY PLAN': unknown }>(
            `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${captured!.sql}`,
            captured!.params,
          )
        ).rows;
      } finally {
        await c.query('ROLLBACK');
      }
    });
    const explain = (explainRows[0]['QUERY PLAN'] as Array<Record<string, unknown>>)[0];
    const plan = explain.Plan as Record<string, unknown>;
    return {
      rows: ds.rows,
      source: queue ? 'payments queue (app code)' : 'reference SQL (no queue registered)',
      claims: summarize(times),
      claimedPerBatch: claimed / iterations,
      explain: {
        executionMs: Number(explain['Execution Time']),
        planningMs: Number(explain['Planning Time']),
        sharedHit: Number(plan['Shared Hit Blocks'] ?? 0),
        sharedRead: Number(plan['Shared Read Blocks'] ?? 0),
        nodes: planNodes(plan),
      },
      sql: captured.sql.replace(/\s+/g, ' ').trim(),
    };
  } finally {
    await app.close();
    rmSync(logDir, { recursive: true, force: true });
  }
}

function parseEnvList(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(',')
      .map((kv) => kv.trim())
      .filter(Boolean)
      .map((kv) => {
        const [k, ...v] = kv.split('=');
        return [k.trim(), v.join('=').trim()];
      }),
  );
}

interface PollerRun {
  replicas: number;
  seconds: number;
  checks: number;
  checksPerMinute: number;
  checksPerMinutePerReplica: number;
  drained: boolean;
  checkedTwice: number;
  cpu: string;
}

// Puts the generated in-flight payments back as they were, not yet due (the replicas start first).
async function restoreInFlight(url: string, dueAt: 'now' | 'later'): Promise<void> {
  await withClient(url, (c) =>
    c.query(
      `UPDATE payments p SET status = b.status, epay_transaction_id = b.epay_transaction_id, check_attempts = b.check_attempts,
              created_at = now() - random() * interval '2 hours', lease_until = NULL, last_checked_at = NULL,
              finalized_at = NULL, needs_attention = false, attention_reason = NULL, failure_code = NULL, failure_message = NULL,
              next_check_at = ${dueAt === 'now' ? `now() - random() * interval '5 minutes'` : `now() + interval '1 day'`}
         FROM bench_inflight b WHERE p.id = b.id`,
    ),
  );
}

async function pollerRun(
  ds: Dataset,
  sandbox: SandboxProcess,
  replicas: number,
  seconds: number,
  pollerEnv: Record<string, string>,
): Promise<PollerRun> {
  await restoreInFlight(ds.url, 'later');
  const apps: AppProcess[] = [];
  try {
    for (let i = 0; i < replicas; i++) {
      apps.push(
        await startAppProcess({
          databaseUrl: ds.url,
          sandboxUrl: sandbox.url,
          name: `replica-${i + 1}`,
          env: { POLLER_ENABLED: 'true', ...pollerEnv },
        }),
      );
    }
    const count = async () => (await sandbox.control<{ count: number }>('/requests/check-status')).count;
    const dueCount = async () =>
      withClient(ds.url, async (c) =>
        Number(
          (
            await c.query<{ n: string }>(
              `SELECT count(*) AS n FROM payments p JOIN bench_inflight b USING (id) WHERE p.next_check_at <= now()`,
            )
          ).rows[0].n,
        ),
      );
    const meter = new CpuMeter(() =>
      Object.fromEntries([
        ['sandbox', [sandbox.child.pid]],
        ...apps.map((a, i) => [`replica-${i + 1}`, [a.child.pid]]),
      ]),
    );
    const before = await count();
    const t0 = new Date();
    await restoreInFlight(ds.url, 'now');
    const started = performance.now();
    meter.start();
    let drained = false;
    while (performance.now() - started < seconds * 1000) {
      await sleep(500);
      if ((await dueCount()) === 0) {
        drained = true;
        break;
      }
    }
    const elapsed = (performance.now() - started) / 1000;
    const cpu = meter.stop();
    const checks = (await count()) - before;
    // the poller reschedules a payment >= 30 s after a check (first backoff step): two checks of one
    // payment closer than that mean two replicas held it at once
    const checkedTwice = await withClient(ds.url, async (c) =>
      Number(
        (
          await c.query<{ n: string }>(
            `SELECT count(*) AS n FROM (
               SELECT created_at - lag(created_at) OVER (PARTITION BY payment_id ORDER BY created_at) AS gap
                 FROM gateway_exchanges WHERE operation = 'status' AND created_at >= $1) x
              WHERE gap < interval '25 seconds'`,
            [t0],
          )
        ).rows[0].n,
      ),
    );
    return {
      replicas,
      seconds: round(elapsed, 1),
      checks,
      checksPerMinute: round((checks / elapsed) * 60, 0),
      checksPerMinutePerReplica: round((checks / elapsed / replicas) * 60, 0),
      drained,
      checkedTwice,
      cpu: formatCpu(cpu),
    };
  } finally {
    for (const a of apps) await a.stop();
  }
}

export const reconciliationBenchmark: Benchmark = {
  name: 'reconciliation',
  description: 'poller: claimDue batch time on 100k vs 1M payments (10k due), status checks/min with 1 and 2 replicas',
  async run() {
    const small = int('small-rows', sized(100_000, 20_000));
    const large = int('rows', sized(1_000_000, 100_000));
    const inFlight = int('in-flight', sized(10_000, 2_000));
    const batch = int('claim-batch', 25);
    const leaseMs = int('claim-lease-ms', 300_000);
    const iterations = int('claim-iterations', sized(300, 50));
    const pollSeconds = int('poll-seconds', sized(60, 8));
    const replicaCounts = str('replicas', '1,2')
      .split(',')
      .map((s) => Number(s.trim()));
    const pollerEnv = parseEnvList(str('poller-env', ''));
    const latencyMs = int('sandbox-latency', 20);

    const sandbox = await startSandboxProcess({ latencyMs, postLinkDropRate: 1 });
    try {
      const claims: ClaimMeasurement[] = [];
      for (const rows of [small, large]) {
        const ds = await ensureDataset(rows, inFlight);
        const m = await measureClaims(ds, sandbox.url, batch, leaseMs, iterations);
        claims.push(m);
        log(
          `claimDue(${batch}) on ${rows} rows [${m.source}]: p50 ${fmt(m.claims.p50)} ms, p99 ${fmt(m.claims.p99)} ms; plan ${m.explain.nodes.join(' > ')}`,
        );
      }
      printTable(
        `Reconciliation: claimDue(${batch}, ${leaseMs} ms) with ${inFlight} due (ms; leases released between claims)`,
        ['payments', 'p50', 'p99', 'mean', 'claimed', 'EXPLAIN exec', 'buffers hit/read', 'plan'],
        claims.map((m) => [
          fmt(m.rows, 0),
          fmt(m.claims.p50),
          fmt(m.claims.p99),
          fmt(m.claims.mean),
          fmt(m.claimedPerBatch, 1),
          fmt(m.explain.executionMs),
          `${m.explain.sharedHit}/${m.explain.sharedRead}`,
          m.explain.nodes.join(' > '),
        ]),
      );
      const growth = round(claims[1].claims.p50 / claims[0].claims.p50, 2);
      note(`source: ${claims[0].source}; claim statement: ${claims[0].sql}`);
      note(
        `per-batch cost ${fmt(large / small, 0)}x the rows: p50 ratio ${growth} (1.0 = does not grow with the table)`,
      );

      // B: the large dataset is in place now
      const ds = await ensureDataset(large, inFlight);
      const runs: PollerRun[] = [];
      for (const replicas of replicaCounts) {
        const run = await pollerRun(ds, sandbox, replicas, pollSeconds, pollerEnv);
        runs.push(run);
        log(
          `poller x${replicas}: ${run.checks} checks in ${run.seconds} s = ${run.checksPerMinute}/min (${run.checksPerMinutePerReplica}/min per replica)${run.drained ? ', all due drained' : ''}; cpu: ${run.cpu}`,
        );
      }
      await restoreInFlight(ds.url, 'now');
      printTable(
        `Reconciliation: status checks with the app's poller on ${fmt(large, 0)} payments, sandbox latency ${latencyMs} ms, poller env ${JSON.stringify(pollerEnv)}`,
        ['replicas', 'window s', 'checks', 'checks/min', 'per replica', 'drained', 'checked twice', 'cpu % of a core'],
        runs.map((r) => [
          r.replicas,
          fmt(r.seconds, 1),
          r.checks,
          fmt(r.checksPerMinute, 0),
          fmt(r.checksPerMinutePerReplica, 0),
          r.drained ? 'yes' : 'no',
          r.checkedTwice,
          r.cpu,
        ]),
      );
      note(
        'checks/min per replica at the default POLLER_* settings is bounded by the schedule (batches per run x interval), not by CPU; tune with --poller-env=POLLER_INTERVAL_MS=500,POLLER_BATCH_SIZE=100,POLLER_CONCURRENCY=16',
      );
      return {
        config: {
          small,
          large,
          inFlight,
          batch,
          leaseMs,
          iterations,
          pollSeconds,
          replicaCounts,
          pollerEnv,
          latencyMs,
        },
        claims,
        claimGrowthP50: growth,
        poller: runs,
      };
    } finally {
      await sandbox.stop();
    }
  },
};
