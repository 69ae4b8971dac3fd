import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate, withDatabase } from '../../setup/test-database';
import { RESULTS_FILE, type ReliabilityResults } from '../helpers/figures';

// Real PostgreSQL only: the suite is about locks, races and crashes. A migrated template of our own
// (not the e2e suite's, which another run on the same server may be dropping right now) that every
// spec copies; a scratch directory for the logs and dumps the card-data scan reads at the end.
export default async function globalSetup(): Promise<void> {
  // test apps load the swagger plugin's metadata, as in the e2e suite
  execFileSync(process.execPath, [join(__dirname, '..', '..', '..', 'scripts', 'openapi-metadata.js')], {
    stdio: 'ignore',
  });
  const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.TEST_DATABASE_URL = url;
  const admin = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`the reliability suite needs PostgreSQL at TEST_DATABASE_URL (${url}): ${(err as Error).message}`, {
      cause: err,
    });
  }
  const template = `epay_rel_tpl_${process.pid}`;
  try {
    const version = (await admin.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);
    await migrate(withDatabase(url, template));
    process.env.REL_TEMPLATE_DB = template;
    process.env.REL_RUN_DIR = mkdtempSync(join(tmpdir(), 'epay-rel-'));
    process.env.REL_STARTED_AT = String(Date.now());
    mkdirSync(join(RESULTS_FILE, '..'), { recursive: true });
    const initial: ReliabilityResults = {
      startedAt: new Date().toISOString(),
      machine: {
        nproc: availableParallelism(),
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        postgres: version,
      },
      figures: {},
    };
    writeFileSync(RESULTS_FILE, `${JSON.stringify(initial, null, 2)}\n`);
  } finally {
    await admin.end();
  }
}
