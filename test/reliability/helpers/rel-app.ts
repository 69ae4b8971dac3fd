import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../../src/database/data-source.options';
import { startTestApp, dumpDatabase, type TestApp, type TestAppOptions } from '../../setup/test-app';
import { withDatabase } from '../../setup/test-database';
import { saveArtifacts } from './figures';

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set (the reliability suite runs on real PostgreSQL)');
  return url;
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface RelDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

// A copy of the suite's migrated template (global setup), dropped by the spec that made it.
export async function createRelDatabase(label: string): Promise<RelDatabase> {
  const template = process.env.REL_TEMPLATE_DB;
  if (!template) throw new Error('REL_TEMPLATE_DB is not set: run through jest.reliability.config.js');
  const name = `epay_rel_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(3).toString('hex')}`;
  await admin(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  return {
    name,
    url: withDatabase(adminUrl(), name),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export interface RelApp extends TestApp {
  db: RelDatabase;
  // logs + database dump saved for the card-data scan, then app, sandbox and database closed
  finish(): Promise<void>;
}

// The e2e harness's in-process app (startTestApp) on a database of this suite.
export async function startRelApp(label: string, options: Omit<TestAppOptions, 'databaseUrl'> = {}): Promise<RelApp> {
  const db = await createRelDatabase(label);
  const t = await startTestApp({ ...options, databaseUrl: db.url });
  let finished = false;
  return Object.assign(t, {
    db,
    finish: async () => {
      if (finished) return;
      finished = true;
      try {
        saveArtifacts(label, { 'app.log': t.readLogs(), 'database.txt': await t.dumpDatabase() });
      } finally {
        await t.close();
        await db.drop();
      }
    },
  });
}

// The same dump for a database the test process does not hold open (child-process apps).
export async function dumpDatabaseAt(url: string): Promise<string> {
  const ds = new DataSource(buildDataSourceOptions(url, { poolSize: 1, migrationsRun: false }));
  await ds.initialize();
  try {
    return await dumpDatabase(ds);
  } finally {
    await ds.destroy();
  }
}

export async function query<T extends Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
