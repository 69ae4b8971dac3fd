import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { AuthenticatedApiKey } from '../../src/api-keys/access-policy';
import { AdminRole, ApiKeyKind } from '../../src/api-keys/api-key-kind.enum';
import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import { createApp } from '../../src/app.setup';
import type { EnvOverrides } from '../../src/config/app-config.module';
import { RunningSandbox, SandboxOptions, startSandbox } from '../../src/sandbox';
import { createTestDatabase, realPostgresUrl } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  url: string;
  sandbox: RunningSandbox;
  // a secret key (the company's server); the name predates key kinds
  clientKey: string;
  // an admin key with role owner
  adminKey: string;
  publishableKey: string;
  createKey(
    kind: ApiKeyKind.SECRET | ApiKeyKind.PUBLISHABLE | ApiKeyKind.ADMIN,
    adminRole?: AdminRole,
  ): Promise<string>;
  // a customer session bound to accountId, minted by the secret key (as POST /v1/customer-sessions does)
  createCustomerSession(accountId: string): Promise<string>;
  logFile: string;
  env: EnvOverrides;
  dataSource: DataSource;
  readLogs(): string;
  dumpDatabase(): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: EnvOverrides;
  sandbox?: RunningSandbox;
  sandboxOptions?: SandboxOptions;
  // share one database between several app instances (multi-replica tests)
  databaseUrl?: string;
}

// nestjs-pino keeps one HTTP logger per process: every app a Jest file starts logs where the first
// one does, so they all share one file and readLogs() sees everything logged in this file's run.
const PROCESS_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'epay-logs-')), 'app.log');

// A full app on a random port, talking over real HTTP to a sandbox on another random port, with its
// own database (in-memory PGlite from the migrated snapshot, or a copy of the template on PostgreSQL).
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const sandbox = options.sandbox ?? (await startSandbox({ ...options.sandboxOptions }));
  const ownsSandbox = !options.sandbox;
  const db = options.databaseUrl ? undefined : realPostgresUrl() ? await createTestDatabase() : undefined;
  const logFile = PROCESS_LOG_FILE;
  // the port is fixed before start so postLink and TermUrl URLs point at this instance
  const port = await freePort();
  const env: EnvOverrides = {
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    LOG_FILE: logFile,
    EPAY_ENV: 'sandbox',
    EPAY_OAUTH_URL: sandbox.oauthUrl,
    EPAY_API_URL: sandbox.apiUrl,
    // the fixtures' backLink (localhost and 127.0.0.1 on any port are allowed outside production anyway)
    RETURN_URL_ORIGINS: 'https://shop.example.kz',
    DEV_API_KEYS: 'false',
    POLLER_ENABLED: 'false',
    // tests change the bank between reads: only concurrent status checks share one
    STATUS_CHECK_MIN_INTERVAL_MS: '0',
    OUTBOUND_EVENTS_ENABLED: 'false',
    ...((options.databaseUrl ?? db?.url)
      ? { DATABASE_URL: options.databaseUrl ?? db?.url }
      : { DATABASE_URL: '', PGLITE_DATA_DIR: 'memory://', PGLITE_SNAPSHOT_FILE: process.env.PGLITE_SNAPSHOT_FILE }),
    ...options.env,
  };
  await loadOpenApiMetadata();
  const savedEnv = { ...process.env };
  let app: NestExpressApplication;
  try {
    app = await createApp(env);
  } finally {
    // @nestjs/config copies validated values into process.env; keep test apps independent
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
  await app.listen(Number(env.PORT), '127.0.0.1');
  const url = `http://127.0.0.1:${env.PORT}`;
  const keys = app.get(ApiKeysService);
  const secret = await keys.create(ApiKeyKind.SECRET, 'test secret');
  const clientKey = secret.key;
  const adminKey = (await keys.create(ApiKeyKind.ADMIN, 'test admin', { adminRole: AdminRole.OWNER })).key;
  const publishableKey = (await keys.create(ApiKeyKind.PUBLISHABLE, 'test publishable')).key;
  const creator = (await keys.authenticate(clientKey)) as AuthenticatedApiKey;
  const dataSource = app.get(DataSource);

  return {
    app,
    url,
    sandbox,
    clientKey,
    adminKey,
    publishableKey,
    createKey: async (kind, adminRole) =>
      (await keys.create(kind, `test ${kind} ${adminRole ?? ''}`, { adminRole })).key,
    createCustomerSession: async (accountId) => (await keys.createCustomerSession(creator, accountId)).key,
    logFile,
    env,
    dataSource,
    readLogs: () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    dumpDatabase: () => dumpDatabase(dataSource),
    close: async () => {
      await app.close();
      if (ownsSandbox) await sandbox.close();
      await db?.drop();
    },
  };
}

// Every row of every table as text: what a pg_dump would reveal, for the card-data-at-rest checks.
export async function dumpDatabase(ds: DataSource): Promise<string> {
  const tables: { table_name: string }[] = await ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows: { row: string }[] = await ds.query(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
    parts.push(`-- ${table_name}`, ...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

// What the @nestjs/swagger compiler plugin gives the built service (global setup generates it).
async function loadOpenApiMetadata(): Promise<void> {
  const file = join(__dirname, 'generated', 'openapi-metadata.ts');
  if (!existsSync(file)) throw new Error(`${file} is missing: the e2e global setup generates it`);
  const metadata = (await import(file)) as { default: () => Promise<Record<string, unknown>> };
  await SwaggerModule.loadPluginMetadata(metadata.default);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
