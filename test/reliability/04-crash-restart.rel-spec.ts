import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import { CARDS, paymentBody } from '../setup/fixtures';
import { freePort } from '../setup/test-app';
import { buildApp, insertClientKey, startChildApp, type ChildApp } from './helpers/child-app';
import { recordFigure, saveArtifacts } from './helpers/figures';
import { createRelDatabase, dumpDatabaseAt, query, type RelDatabase } from './helpers/rel-app';

// kill -9 in the worst moment: the bank has charged the card, its answer has not arrived, and the
// process dies. The payment row was committed before the call (status created, scheduled for a
// check); after a restart the poller must find it and bring it to charged — one payment, one bank
// call — and the client's retry with the same Idempotency-Key must get that payment.
describe('reliability: kill -9 mid-payment and restart', () => {
  let sandbox: RunningSandbox;
  let db: RelDatabase;
  let logDir: string;
  const apps: ChildApp[] = [];

  beforeAll(async () => {
    buildApp();
    db = await createRelDatabase('crash');
    sandbox = await startSandbox({ latencyMs: 5 });
    logDir = mkdtempSync(join(tmpdir(), 'epay-rel-crash-'));
  });
  afterAll(async () => {
    for (const app of apps) await app.kill9();
    const logs = apps.map((a) => a.logs()).join('\n');
    if (db) saveArtifacts('crash', { 'app.log': logs, 'database.txt': await dumpDatabaseAt(db.url) });
    await sandbox?.close();
    await db?.drop();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  it('a payment in flight when the process is killed ends charged after restart, with one bank call', async () => {
    const clientKey = await insertClientKey(db.url);
    const port = await freePort();
    const env = {
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: db.url,
      EPAY_ENV: 'sandbox',
      EPAY_OAUTH_URL: sandbox.oauthUrl,
      EPAY_API_URL: sandbox.apiUrl,
      EPAY_TIMEOUT_MS: '30000',
      // first re-check 1 s after creation, poller ticks every 200 ms once enabled
      POLLER_BACKOFF_SECONDS: '1,2,5',
      POLLER_INTERVAL_MS: '200',
      OUTBOUND_EVENTS_ENABLED: 'false',
    };
    const first = await startChildApp({ ...env, POLLER_ENABLED: 'false' }, join(logDir, 'first.log'));
    apps.push(first);

    // the bank charges, then holds the answer for a minute
    sandbox.control.addFault({ path: 'cryptopay', type: 'commit-then-timeout', delayMs: 60_000 });
    const key = randomUUID();
    const body = paymentBody({ card: CARDS.approveAny, amount: 12_345 });
    const send = () =>
      fetch(`${first.url}/v1/payments/card`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': clientKey, 'idempotency-key': key },
        body: JSON.stringify(body),
      });
    const inFlight = send().then(
      (r) => `answered ${r.status}`,
      (err: Error) => `connection lost (${err.message})`,
    );
    const deadline = Date.now() + 20_000;
    while (sandbox.control.listTransactions().length === 0) {
      if (Date.now() > deadline) throw new Error('the bank never saw the payment');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(sandbox.control.getTransaction(sandbox.control.listTransactions()[0].invoiceId)?.statusName).toBe('CHARGE');
    await first.kill9();
    const clientSaw = await inFlight;
    const [before] = await query<{ id: string; status: string; invoice_id: string }>(
      db.url,
      `SELECT id, status, invoice_id FROM payments`,
    );
    expect(before.status).toBe('created');

    const restartedAt = Date.now();
    const second = await startChildApp({ ...env, POLLER_ENABLED: 'true' }, join(logDir, 'second.log'));
    apps.push(second);
    let status = before.status;
    while (status !== 'charged' && Date.now() - restartedAt < 60_000) {
      await new Promise((r) => setTimeout(r, 100));
      [{ status }] = await query<{ status: string }>(db.url, `SELECT status FROM payments WHERE id = $1`, [before.id]);
    }
    const seconds = (Date.now() - restartedAt) / 1000;

    // the client retries once the first attempt's 60 s idempotency lease is over (moved here, not waited)
    await query(db.url, `UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE key = $1`, [key]);
    const retry = await fetch(`${second.url}/v1/payments/card`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': clientKey, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    const retried = (await retry.json()) as { id?: string; status?: string };
    const [{ n: payments }] = await query<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM payments`);
    const bankCalls = sandbox.control.requestCount('cryptopay');
    const ok =
      status === 'charged' &&
      payments === 1 &&
      bankCalls === 1 &&
      retried.id === before.id &&
      retried.status === 'charged';
    recordFigure(
      'kill -9 and restart',
      `kill -9 mid-payment: bank charged, app killed before the answer (client: ${clientSaw}); after restart the poller made it ${status} in ${seconds.toFixed(1)} s; ` +
        `${payments} payment, ${bankCalls} bank call; retry with the same key -> ${retry.status} ${retried.status} (same payment: ${retried.id === before.id})`,
      ok,
      { seconds, payments, bankCalls, retryStatus: retry.status, clientSaw },
    );
    expect(status).toBe('charged');
    expect(payments).toBe(1);
    expect(bankCalls).toBe(1);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retried).toMatchObject({ id: before.id, status: 'charged' });
  });
});
