import autocannon from 'autocannon';
import { insertApiKey, startAppProcess, type AppProcess } from './lib/app-process';
import { registerOwnedDatabase } from './lib/dataset';
import { bool, int, sized, str } from './lib/options';
import { createMigratedDatabase, dropDatabase, withClient } from './lib/pg';
import { CpuMeter, formatCpu, sleep } from './lib/processes';
import { log, note, printTable } from './lib/report';
import { startSandboxProcess, type SandboxProcess } from './lib/sandbox-process';
import { fmt, round, summarize } from './lib/stats';
import type { Benchmark } from './run';

// postLink ingestion: ePay's callbacks for payments we hold as `unknown`, 10% of them sent twice,
// fired at POST /v1/webhooks/epay/post-link as fast as the service takes them.
// The callbacks are the real ones: payments are made through the service while the sandbox answers
// cryptopay with "commit-then-500" (it charges, then fails the reply, so our side stays unknown),
// with postLink delivery switched off; the sandbox still records each callback it would have sent
// (URL with pid + token, body with secret_hash), and those are replayed here.
// Figures: callbacks/s and latency of the HTTP answer, then the time until every payment is confirmed
// charged by the service's status checks; checks: every callback answered 200, one accepted callback
// per payment and the rest marked duplicate, exactly one transition to charged per payment.

interface Delivery {
  url: string;
  body: Record<string, unknown>;
  attempt: number;
  kind: string;
}

async function preparePayments(
  app: AppProcess,
  sandbox: SandboxProcess,
  clientKey: string,
  n: number,
  concurrency: number,
): Promise<void> {
  await sandbox.control('/faults', { path: 'cryptopay', type: 'commit-then-500', times: n });
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const res = await fetch(`${app.url}/v1/payments/card`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': clientKey },
        body: JSON.stringify({
          amount: 1000 + i,
          currency: 'KZT',
          description: 'postlink bench',
          accountId: `pl-${i % 100}`,
          card: { number: '4111111111111111', expMonth: 12, expYear: 2030, cvc: '123', holder: 'BENCH USER' },
        }),
      });
      const text = await res.text();
      if (res.status !== 201 || !text.includes('"status":"unknown"')) {
        throw new Error(`preparing payment ${i}: expected 201 unknown, got ${res.status} ${text.slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export const postLinkBenchmark: Benchmark = {
  name: 'postlink',
  description: 'postLink ingestion: callbacks/s with 10% duplicates, none applied twice',
  async run() {
    const payments = int('postlink-payments', sized(5000, 300));
    const duplicateShare = Number(str('postlink-duplicates', '0.1'));
    const connections = int('postlink-concurrency', 50);
    const latencyMs = int('sandbox-latency', 20);
    const confirmTimeout = int('postlink-confirm-timeout', 300);
    const dbName = str('postlink-db', 'epay_bench_postlink');

    const dbUrl = await createMigratedDatabase(dbName);
    registerOwnedDatabase(dbName);
    const sandbox = await startSandboxProcess({ latencyMs, postLinkDropRate: 1 });
    let app: AppProcess | undefined;
    try {
      const clientKey = await insertApiKey(dbUrl, 'client');
      app = await startAppProcess({ databaseUrl: dbUrl, sandboxUrl: sandbox.url });
      const hasEndpoint = (await fetch(`${app.url}/v1/webhooks/epay/post-link`, { method: 'POST' })).status !== 404;
      if (!hasEndpoint) {
        note('POST /v1/webhooks/epay/post-link does not exist yet: postLink benchmark skipped (skeleton)');
        return { skipped: 'endpoint missing' };
      }

      log(`postlink: preparing ${payments} unknown payments the sandbox has charged`);
      await preparePayments(app, sandbox, clientKey, payments, 16);
      const deliveries = (await sandbox.control<Delivery[]>('/deliveries')).filter(
        (d) => d.attempt === 1 && d.url.includes('/v1/webhooks/epay/'),
      );
      if (deliveries.length !== payments)
        throw new Error(`expected ${payments} recorded callbacks, got ${deliveries.length}`);
      const dupes = Math.round(payments * duplicateShare);
      const queue = [...deliveries, ...[...deliveries].sort(() => Math.random() - 0.5).slice(0, dupes)].sort(
        () => Math.random() - 0.5,
      );
      const base = new URL(app.url);

      log(`postlink: sending ${queue.length} callbacks (${dupes} duplicates) with ${connections} connections`);
      const latencies: number[] = [];
      let next = 0;
      const meter = new CpuMeter(() => ({ app: [app!.child.pid], sandbox: [sandbox.child.pid] }));
      meter.start();
      const started = performance.now();
      const instance = autocannon({
        url: app.url,
        connections,
        amount: queue.length,
        timeout: 60,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const d = queue[next++ % queue.length];
              const u = new URL(d.url);
              if (u.host !== base.host) throw new Error(`callback for another host: ${u.host}`);
              return {
                ...req,
                path: `${u.pathname}${u.search}`,
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(d.body),
              };
            },
          },
        ],
      });
      instance.on('response', (_c: unknown, status: number, _b: number, ms: number) => {
        if (status === 200) latencies.push(ms);
      });
      const result = await instance;
      const ingestSeconds = (performance.now() - started) / 1000;
      const ingestCpu = meter.stop();

      // the status checks confirming the callbacks run after the answers
      const charged = async () =>
        withClient(dbUrl, async (c) =>
          Number(
            (await c.query<{ n: string }>(`SELECT count(*) AS n FROM payments WHERE status = 'charged'`)).rows[0].n,
          ),
        );
      let confirmed = await charged();
      while (confirmed < payments && performance.now() - started < confirmTimeout * 1000) {
        await sleep(250);
        confirmed = await charged();
      }
      const confirmSeconds = (performance.now() - started) / 1000;

      const checks = await withClient(dbUrl, async (c) => {
        const one = async (sql: string) => Number((await c.query<{ n: string }>(sql)).rows[0].n);
        return {
          accepted: await one(`SELECT count(*) AS n FROM postlink_callbacks WHERE verdict = 'accepted'`),
          duplicate: await one(`SELECT count(*) AS n FROM postlink_callbacks WHERE verdict = 'duplicate'`),
          otherVerdicts: await one(
            `SELECT count(*) AS n FROM postlink_callbacks WHERE verdict NOT IN ('accepted', 'duplicate') AND payment_id IS NOT NULL`,
          ),
          appliedTwice: await one(
            `SELECT count(*) AS n FROM (SELECT payment_id FROM payment_events WHERE to_status = 'charged' GROUP BY payment_id HAVING count(*) > 1) x`,
          ),
          statusChecks: await one(`SELECT count(*) AS n FROM gateway_exchanges WHERE operation = 'status'`),
        };
      });
      const lat = summarize(latencies);
      const ok =
        result.non2xx === 0 &&
        result.errors === 0 &&
        checks.accepted === payments &&
        checks.duplicate === dupes &&
        checks.appliedTwice === 0 &&
        confirmed === payments;
      printTable(
        `postLink ingestion: ${queue.length} callbacks for ${payments} payments, ${dupes} duplicates, ${connections} connections`,
        [
          'callbacks/s',
          'p50 ms',
          'p99 ms',
          'non-200',
          'accepted',
          'duplicate',
          'other',
          'applied twice',
          'all charged after',
          'confirmed/s',
          'status checks',
        ],
        [
          [
            fmt(queue.length / ingestSeconds, 0),
            fmt(lat.p50),
            fmt(lat.p99),
            result.non2xx + result.errors,
            checks.accepted,
            checks.duplicate,
            checks.otherVerdicts,
            checks.appliedTwice,
            confirmed === payments ? `${fmt(confirmSeconds, 1)} s` : `NOT (${confirmed}/${payments})`,
            fmt(confirmed / confirmSeconds, 0),
            checks.statusChecks,
          ],
        ],
      );
      note(`cpu while ingesting: ${formatCpu(ingestCpu)}`);
      note(
        `${ok ? 'OK' : 'PROBLEM'}: every callback answered, one accepted per payment, duplicates recognised, none applied twice`,
      );
      return {
        config: { payments, duplicateShare, connections, latencyMs },
        callbacksPerSecond: round(queue.length / ingestSeconds, 1),
        latency: lat,
        non200: result.non2xx + result.errors,
        confirmedSeconds: round(confirmSeconds, 1),
        confirmed,
        ...checks,
        ok,
        cpu: ingestCpu,
      };
    } finally {
      await app?.stop();
      await sandbox.stop();
      if (!bool('keep-db', false)) await dropDatabase(dbName);
    }
  },
};
