import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { adminQuery, migrate, realPostgresUrl, TEMPLATE_DB, withDatabase } from './test-database';

// Migrate once per run: a PGlite snapshot (loads in ~0.5 s instead of a 4 s initdb) or, on real
// PostgreSQL, a template database that each test app copies.
export default async function globalSetup(): Promise<void> {
  // the browser checkout kit the service serves at /js/checkout.js (esbuild, well under a second)
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'checkout', 'build.js')], { stdio: 'inherit' });
  // the @nestjs/swagger plugin's metadata, which `nest build` adds and SWC under Jest does not
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'openapi-metadata.js')], { stdio: 'ignore' });
  const pgUrl = realPostgresUrl();
  if (pgUrl) {
    await adminQuery(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${TEMPLATE_DB}`);
    await migrate(withDatabase(pgUrl, TEMPLATE_DB));
    return;
  }
  if (process.env.PGLITE_SNAPSHOT_FILE) return;
  const db = await EmbeddedPostgres.start({ dataDir: 'memory://', maxConnections: 4 });
  try {
    await migrate(db.url);
    const dump = await db.dump();
    const dir = mkdtempSync(join(tmpdir(), 'epay-snapshot-'));
    const file = join(dir, 'pglite-migrated.tar');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    process.env.PGLITE_SNAPSHOT_FILE = file;
  } finally {
    await db.stop();
  }
}
