import { randomUUID } from 'node:crypto';
import { MetricsService } from '../src/metrics/metrics.service';
import { PaymentsReconciliationQueue } from '../src/modules/status/payments-reconciliation.queue';
import { PaymentTransaction, RunningSandbox, startSandbox } from '../src/sandbox';
import { waitFor } from './setup/api';
import { createTestDatabase, realPostgresUrl } from './setup/test-database';
import { startTestApp, TestApp } from './setup/test-app';

// Several replicas on one PostgreSQL: FOR UPDATE SKIP LOCKED claims with a lease must give every due
// payment to exactly one replica. Real PostgreSQL only (PGlite has no real row locks).
const onPostgres = realPostgresUrl() ? describe : describe.skip;

const PAYMENTS = 500;
const AMOUNT = 10050;

// A payment the bank charged, put straight into the sandbox's store (as if cryptopay had run).
function chargedAtBank(invoiceId: string, terminal: string): PaymentTransaction {
  return {
    kind: 'payment',
    id: randomUUID(),
    invoiceId,
    invoiceIdAlt: '',
    amountMinor: AMOUNT,
    orgAmountMinor: AMOUNT,
    currency: 'KZT',
    statusName: 'CHARGE',
    statusId: randomUUID(),
    reasonCode: 0,
    reason: 'success',
    cardMask: '411111...1111',
    cardType: 'VISA',
    issuer: 'Sandbox Bank',
    approvalCode: '123456',
    reference: '123456789012',
    intReference: 'ABCDEF0123456789',
    accountId: '',
    cardId: '',
    cardSave: false,
    terminal,
    postLink: '',
    failurePostLink: '',
    backLink: '',
    failureBackLink: '',
    secretHash: '',
    data: '',
    description: 'replica test',
    email: '',
    phone: '',
    name: 'TEST USER',
    language: 'rus',
    paymentType: 'card',
    secure: false,
    ip: '127.0.0.1',
    createdDate: new Date().toISOString(),
    createdAt: Date.now(),
    refunds: [],
  };
}

async function metric(app: TestApp, name: string): Promise<number> {
  const text = await app.app.get(MetricsService).registry.metrics();
  return Number(new RegExp(`^${name}\\{queue="payments"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

onPostgres('reconciliation poller with several replicas (real PostgreSQL)', () => {
  let sandbox: RunningSandbox;
  let db: { url: string; drop: () => Promise<void> };
  let replicas: TestApp[] = [];
  // status requests the sandbox answered, per invoice
  const checks = new Map<string, number>();

  beforeAll(async () => {
    sandbox = await startSandbox({
      postLink: { dropRate: 1 },
      logger: (line) => {
        const m = /^GET \/check-status\/payment\/transaction\/(\d+) /.exec(line);
        if (m) checks.set(m[1], (checks.get(m[1]) ?? 0) + 1);
      },
    });
    db = await createTestDatabase();
    const env = {
      POLLER_ENABLED: 'true',
      POLLER_INTERVAL_MS: '50',
      POLLER_BATCH_SIZE: '25',
      POLLER_CONCURRENCY: '8',
      POLLER_LEASE_MS: '30000',
      // after the first check nothing is due again for an hour: each payment is due once in this test
      POLLER_BACKOFF_SECONDS: '3600',
      DATABASE_POOL_SIZE: '12',
      LOG_LEVEL: 'warn',
    };
    replicas = [
      await startTestApp({ sandbox, databaseUrl: db.url, env }),
      await startTestApp({ sandbox, databaseUrl: db.url, env }),
    ];
  });
  afterAll(async () => {
    for (const r of replicas) await r.close();
    await sandbox?.close();
    await db?.drop();
  });

  it(`${PAYMENTS} due payments, 2 replicas: every payment is checked exactly once`, async () => {
    const [a, b] = replicas;
    // half of them the bank charged, the other half it never heard of (102)
    for (let i = 1; i <= PAYMENTS; i += 2)
      sandbox.state.addPayment(chargedAtBank(`7${String(i).padStart(8, '0')}`, sandbox.state.config.terminalId));
    const before = sandbox.control.requestCount('check-status');
    const started = Date.now();
    // one statement, so both replicas see all of them due at the same moment
    await a.dataSource.query(
      `INSERT INTO payments (invoice_id, method, status, amount, currency, callback_token, next_check_at)
       SELECT '7' || lpad(g::text, 8, '0'), 'card', 'unknown', $1, 'KZT', md5(random()::text), now()
         FROM generate_series(1, $2::int) g`,
      [AMOUNT, PAYMENTS],
    );
    await waitFor(
      async () => {
        const [{ n }] = await a.dataSource.query(
          `SELECT count(*)::int AS n FROM payments WHERE last_checked_at IS NOT NULL AND lease_until IS NULL`,
        );
        return n === PAYMENTS;
      },
      40_000,
      100,
    );
    const tookMs = Date.now() - started;
    // nothing is due again: no late second checks
    await new Promise((r) => setTimeout(r, 1000));

    const perInvoice = [...checks.entries()].filter(([inv]) => inv.startsWith('7'));
    const duplicates = perInvoice.filter(([, n]) => n > 1);
    const total = sandbox.control.requestCount('check-status') - before;
    const [checkedA, checkedB] = [
      await metric(a, 'reconciliation_checked_total'),
      await metric(b, 'reconciliation_checked_total'),
    ];
    const states: { status: string; check_attempts: number; n: number }[] = await a.dataSource.query(
      `SELECT status, check_attempts, count(*)::int AS n FROM payments GROUP BY status, check_attempts ORDER BY status`,
    );
    const [{ min_next, max_next }] = await a.dataSource.query(
      `SELECT min(next_check_at - last_checked_at) AS min_next, max(next_check_at - last_checked_at) AS max_next FROM payments WHERE status = 'unknown'`,
    );
    process.stdout.write(
      `replicas: ${PAYMENTS} payments, 2 replicas: ${total} status checks, ${duplicates.length} duplicates, ` +
        `replica A ${checkedA} / replica B ${checkedB}, took ${tookMs} ms\n`,
    );

    expect(perInvoice).toHaveLength(PAYMENTS);
    expect(duplicates).toEqual([]);
    expect(total).toBe(PAYMENTS);
    expect(checkedA + checkedB).toBe(PAYMENTS);
    // both replicas did part of the work
    expect(checkedA).toBeGreaterThan(0);
    expect(checkedB).toBeGreaterThan(0);
    expect(states).toEqual([
      { status: 'charged', check_attempts: 0, n: PAYMENTS / 2 },
      { status: 'unknown', check_attempts: 1, n: PAYMENTS / 2 },
    ]);
    expect(min_next).toMatchObject({ hours: 1 });
    expect(max_next).toMatchObject({ hours: 1 });
  });

  it('claims of a replica that died are left alone until their lease expires, then checked once', async () => {
    const [a] = replicas;
    const invoices = Array.from({ length: 20 }, (_, i) => `8${String(i + 1).padStart(8, '0')}`);
    for (const inv of invoices) sandbox.state.addPayment(chargedAtBank(inv, sandbox.state.config.terminalId));
    // a third "replica" claims them and dies before checking anything (its claims carry a 1.5 s lease)
    await a.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO payments (invoice_id, method, status, amount, currency, callback_token, next_check_at)
         SELECT inv, 'card', 'unknown', $1, 'KZT', md5(random()::text), now() FROM unnest($2::text[]) inv`,
        [AMOUNT, invoices],
      );
      await m.query(
        `UPDATE payments SET lease_until = now() + interval '1500 milliseconds' WHERE invoice_id = ANY($1::text[])`,
        [invoices],
      );
    });
    const claimedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    expect(invoices.map((inv) => checks.get(inv) ?? 0)).toEqual(invoices.map(() => 0));
    await waitFor(
      async () => {
        const [{ n }] = await a.dataSource.query(
          `SELECT count(*)::int AS n FROM payments WHERE invoice_id = ANY($1::text[]) AND status = 'charged'`,
          [invoices],
        );
        return n === invoices.length;
      },
      10_000,
      50,
    );
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(1500);
    expect(invoices.map((inv) => checks.get(inv))).toEqual(invoices.map(() => 1));
  });

  it('concurrent claims from two replicas never overlap (one SQL statement, SKIP LOCKED)', async () => {
    const [a, b] = replicas;
    const [qa, qb] = [a.app.get(PaymentsReconciliationQueue), b.app.get(PaymentsReconciliationQueue)];
    // rows due in the past but not pollable by the running pollers until we flip them: insert as 'created' with a far next_check_at
    await a.dataSource.query(
      `INSERT INTO payments (invoice_id, method, status, amount, currency, callback_token, next_check_at)
       SELECT '9' || lpad(g::text, 8, '0'), 'card', 'created', $1, 'KZT', md5(random()::text), now() + interval '1 day'
         FROM generate_series(1, 300) g`,
      [AMOUNT],
    );
    // stop the background pollers from competing for these rows: they are claimed by the test only
    await a.dataSource.query(
      `UPDATE payments SET next_check_at = now() - interval '1 minute', lease_until = NULL WHERE invoice_id LIKE '9%'`,
    );
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? qa : qb).claimDue(25, 60_000)));
    const ids = claims.flat();
    // whatever the background pollers took in between, no row went to two claimants
    expect(new Set(ids).size).toBe(ids.length);
    const [{ leased }] = await a.dataSource.query(
      `SELECT count(*)::int AS leased FROM payments WHERE invoice_id LIKE '9%' AND lease_until > now()`,
    );
    expect(leased).toBeGreaterThanOrEqual(ids.length);
    // park them so nothing checks these rows after the test
    await a.dataSource.query(`UPDATE payments SET next_check_at = NULL WHERE invoice_id LIKE '9%'`);
  });
});
