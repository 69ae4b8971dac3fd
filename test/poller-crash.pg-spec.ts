import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { hashApiKey } from '../src/api-keys/api-keys.service';
import { RunningSandbox, startSandbox } from '../src/sandbox';
import { waitFor } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { freePort } from './setup/test-app';
import { createTestDatabase, realPostgresUrl } from './setup/test-database';

// kill -9 between "the bank charged" and "we recorded it": after a restart the poller must find the
// truth. The service runs as a real child process (node dist/src/main.js); real PostgreSQL only.
const onPostgres = realPostgresUrl() ? describe : describe.skip;

const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

// `nest build` once, when dist is missing or older than the sources (~15 s)
function ensureBuilt(): void {
  let built: number;
  try {
    built = statSync(MAIN).mtimeMs;
  } catch {
    built = 0;
  }
  if (built > Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'migrations')))) return;
  const res = spawnSync('npx', ['nest', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  if (res.status !== 0) throw new Error(`nest build failed:\n${res.stdout}\n${res.stderr}`);
}

interface Service {
  child: ChildProcess;
  output: string[];
}

onPostgres('crash between the bank charging and us recording it (child process, real PostgreSQL)', () => {
  let sandbox: RunningSandbox;
  let db: { url: string; drop: () => Promise<void> };
  let port: number;
  let base: string;
  let service: Service | undefined;
  const apiKey = `sk_test_${randomBytes(24).toString('base64url')}`;

  function env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '4',
      EPAY_ENV: 'sandbox',
      EPAY_OAUTH_URL: sandbox.oauthUrl,
      EPAY_API_URL: sandbox.apiUrl,
      EPAY_TIMEOUT_MS: '30000',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: base,
      // the fixtures' backLink
      RETURN_URL_ORIGINS: 'https://shop.example.kz',
      POLLER_ENABLED: 'true',
      POLLER_INTERVAL_MS: '200',
      // first look 2 s after creation: the kill comes long before that
      POLLER_BACKOFF_SECONDS: '2',
      POLLER_BATCH_SIZE: '10',
      POLLER_LEASE_MS: '5000',
      DEV_API_KEYS: 'false',
      LOG_LEVEL: 'warn',
    };
  }

  async function startService(): Promise<Service> {
    const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    const s = { child, output };
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`service exited (${child.exitCode}):\n${output.join('')}`);
          const res = await fetch(`${base}/health`).catch(() => undefined);
          return res?.ok;
        },
        20_000,
        100,
      );
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    return s;
  }

  async function kill(s: Service | undefined): Promise<void> {
    if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGKILL');
    await exited;
  }

  const http = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, ...(init.headers ?? {}) },
    });

  async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    ensureBuilt();
    // the callback goes to the dead process 1 s after the charge and is lost with it
    sandbox = await startSandbox({ postLink: { delayMs: 1000 } });
    db = await createTestDatabase();
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    await query(
      `INSERT INTO api_keys (name, kind, livemode, key_hash, prefix) VALUES ('crash test', 'secret', false, $1, $2)`,
      [hashApiKey(apiKey), apiKey.slice(0, 16)],
    );
  }, 240_000);

  afterAll(async () => {
    await kill(service);
    await sandbox?.close();
    await db?.drop();
  });

  it('the poller of the restarted service brings the payment to charged', async () => {
    service = await startService();
    // the bank charges, then never answers
    sandbox.control.addFault({ path: 'cryptopay', type: 'commit-then-timeout', delayMs: 60_000 });
    const pending = http('/v1/payments/card', {
      method: 'POST',
      body: JSON.stringify(paymentBody({ card: CARDS.approveAny })),
    }).catch(() => undefined);

    const charged = await waitFor(
      async () => sandbox.control.listTransactions().find((tx) => tx.statusName === 'CHARGE'),
      10_000,
      10,
    );
    await kill(service);
    await pending;
    const [before] = await query<{ id: string; status: string; invoice_id: string }>(
      `SELECT id, status, invoice_id FROM payments`,
    );
    // the crash came before we recorded anything from the bank
    expect(before).toMatchObject({ status: 'created', invoice_id: charged.invoiceId });
    await sandbox.control.flushPostLinks();
    expect(sandbox.control.getDeliveries()).toEqual([
      expect.objectContaining({ invoiceId: charged.invoiceId, error: expect.any(String) }),
    ]);

    const restartedAt = Date.now();
    service = await startService();
    const payment = await waitFor(
      async () => {
        const res = await http(`/v1/payments/${before.id}`);
        const body = (await res.json()) as {
          status: string;
          capturedAmount: number;
          amount: number;
          epayTransactionId: string;
        };
        return body.status === 'charged' && body;
      },
      15_000,
      100,
    );
    process.stdout.write(`crash test: charged ${Date.now() - restartedAt} ms after the restart\n`);
    expect(payment).toMatchObject({ capturedAmount: payment.amount, epayTransactionId: charged.id });
    const events = await query<{ to_status: string; source: string }>(
      `SELECT to_status, source FROM payment_events WHERE payment_id = $1 ORDER BY created_at`,
      [before.id],
    );
    expect(events).toEqual([
      { to_status: 'created', source: 'api' },
      { to_status: 'charged', source: 'poller' },
    ]);
    // the bank was asked to pay exactly once
    expect(sandbox.control.requestCount('cryptopay')).toBe(1);
  }, 60_000);
});
