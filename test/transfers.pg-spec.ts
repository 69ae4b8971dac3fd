import { ReconciliationRegistry } from '../src/modules/status/reconciliation-registry.service';
import type { ReconciliationQueue } from '../src/modules/status/reconciliation-queue.interface';
import { startTestApp, TestApp } from './setup/test-app';

// Real PostgreSQL only: two replicas claiming at once must never get the same transfer or widget
// session (FOR UPDATE SKIP LOCKED + lease in one statement).
const describeOnPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describeOnPostgres('transfers and widget-expiry queues on PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  const queue = (t: TestApp, name: string): ReconciliationQueue =>
    t.app
      .get(ReconciliationRegistry)
      .all()
      .find((q) => q.name === name)!;

  beforeAll(async () => {
    a = await startTestApp();
    // a second replica on the same database
    b = await startTestApp({ sandbox: a.sandbox, databaseUrl: a.env.DATABASE_URL });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('two replicas claiming due transfers concurrently split them without overlap, and respect live leases', async () => {
    await a.dataSource.query(
      `INSERT INTO transfers (order_id, status, amount, currency, account_id, sender_transfer_type, receiver_transfer_type, next_check_at)
       SELECT (900000000 + g)::text, 'unknown', 100, 'KZT', 'acct', 'TYPEPAN', 'TYPEPAN', now() - interval '1 minute'
       FROM generate_series(1, 40) g`,
    );
    const [x, y] = await Promise.all([
      queue(a, 'transfers').claimDue(25, 60_000),
      queue(b, 'transfers').claimDue(25, 60_000),
    ]);
    expect(x.filter((id) => y.includes(id))).toEqual([]);
    expect(new Set([...x, ...y]).size).toBe(40);
    // all leased: nothing more to claim until the leases run out
    expect(await queue(a, 'transfers').claimDue(100, 60_000)).toEqual([]);
    await a.dataSource.query(`UPDATE transfers SET lease_until = now() - interval '1 millisecond'`);
    expect((await queue(b, 'transfers').claimDue(100, 60_000)).length).toBe(40);
  });

  it('the same for widget sessions', async () => {
    await a.dataSource.query(
      `INSERT INTO payments (invoice_id, method, status, amount, currency, callback_token)
       SELECT (800000000 + g)::text, 'widget', 'pending', 100, 'KZT', 't' FROM generate_series(1, 30) g`,
    );
    await a.dataSource.query(
      `INSERT INTO widget_sessions (payment_id, token_expires_at, expiry_check_at)
       SELECT id, now() - interval '20 minutes', now() - interval '1 minute' FROM payments WHERE method = 'widget'`,
    );
    const [x, y] = await Promise.all([
      queue(a, 'widget-expiry').claimDue(20, 60_000),
      queue(b, 'widget-expiry').claimDue(20, 60_000),
    ]);
    expect(x.filter((id) => y.includes(id))).toEqual([]);
    expect(new Set([...x, ...y]).size).toBe(30);
  });
});
