import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source.options';

// TEST_TEMPLATE_DB lets two checkouts run their PostgreSQL suites on one server at once.
export const TEMPLATE_DB = process.env.TEST_TEMPLATE_DB || 'epay_test_template';

// Real PostgreSQL runs when TEST_DATABASE_URL is set (CI: the machine's server on 127.0.0.1:5432);
// otherwise the embedded PGlite database from the migrated snapshot built in global setup.
export function realPostgresUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: realPostgresUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function migrate(url: string): Promise<void> {
  const ds = new DataSource(buildDataSourceOptions(url, { poolSize: 2, migrationsRun: false }));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

// One database per test app, copied from the migrated template (fast, fully isolated).
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = realPostgresUrl();
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `epay_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  return {
    url: withDatabase(base, name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
