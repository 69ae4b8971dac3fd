import { Client, type ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source.options';
import { str } from './options';

// The PostgreSQL server the benchmarks use: --pg-url / BENCH_PG_URL, else TEST_DATABASE_URL, else the
// machine's server. Only the database name in it changes; everything stays on 127.0.0.1.
export function adminUrl(): string {
  return str('pg-url', process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`benchmarks only talk to a local PostgreSQL (127.0.0.1), not ${host}`);
  }
}

export async function withClient<T>(
  url: string,
  fn: (c: Client) => Promise<T>,
  config: Partial<ClientConfig> = {},
): Promise<T> {
  const client = new Client({ connectionString: url, ...config });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const SAFE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function databaseExists(name: string): Promise<boolean> {
  const rows = await withClient(adminUrl(), (c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]));
  return rows.rowCount === 1;
}

export async function dropDatabase(name: string): Promise<void> {
  if (!SAFE_NAME.test(name)) throw new Error(`unsafe database name ${name}`);
  await withClient(adminUrl(), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

// A fresh database with the app's migrations applied (the same TypeORM migrations as production).
export async function createMigratedDatabase(name: string): Promise<string> {
  if (!SAFE_NAME.test(name)) throw new Error(`unsafe database name ${name}`);
  assertLocal(adminUrl());
  await dropDatabase(name);
  await withClient(adminUrl(), (c) => c.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(adminUrl(), name);
  const ds = new DataSource({
    ...buildDataSourceOptions(url, { poolSize: 2, migrationsRun: false }),
    logging: ['error'],
  });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
  return url;
}

export async function serverVersion(): Promise<string | undefined> {
  try {
    return await withClient(
      adminUrl(),
      async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v,
    );
  } catch {
    return undefined;
  }
}

// Backend pids of one database, for CPU accounting of PostgreSQL's share of a run; `applicationName`
// picks one client's connections (the baseline names its pool), `excludeApplication` the others.
export async function backendPids(
  database: string,
  filter: { applicationName?: string; excludeApplication?: string } = {},
): Promise<number[]> {
  return withClient(adminUrl(), async (c) =>
    (
      await c.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()
            AND ($2::text IS NULL OR application_name = $2) AND ($3::text IS NULL OR application_name <> $3)`,
        [database, filter.applicationName ?? null, filter.excludeApplication ?? null],
      )
    ).rows.map((r) => r.pid),
  );
}
