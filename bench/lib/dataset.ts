import { generatePayments, type GenerateResult } from '../generate-data';
import { bool, int, str } from './options';
import { adminUrl, createMigratedDatabase, databaseExists, dropDatabase, withClient, withDatabase } from './pg';
import { log } from './report';

// The generated large-table database, shared by the benchmarks of one run. A database this process
// created is dropped at the end (unless --keep-db); one that already existed (generate-data, or an
// earlier --keep-db run) is reused and left alone.

export interface Dataset {
  name: string;
  url: string;
  rows: number;
  inFlight: number;
  generated?: GenerateResult;
}

const owned = new Set<string>();
const kept = new Set<string>();

export function dataDatabaseName(): string {
  return str('data-db', 'epay_bench_data');
}

export function registerOwnedDatabase(name: string): void {
  owned.add(name);
}

async function readMeta(url: string): Promise<{ rows: number; inFlight: number } | undefined> {
  try {
    return await withClient(url, async (c) => {
      const { rows } = await c.query<{ rows: string; in_flight: number }>(`SELECT rows, in_flight FROM bench_meta`);
      return rows[0] ? { rows: Number(rows[0].rows), inFlight: rows[0].in_flight } : undefined;
    });
  } catch {
    return undefined;
  }
}

async function writeMeta(url: string, rows: number, inFlight: number): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(
      `CREATE TABLE IF NOT EXISTS bench_meta (rows bigint NOT NULL, in_flight int NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
    );
    await c.query(`DELETE FROM bench_meta`);
    await c.query(`INSERT INTO bench_meta (rows, in_flight) VALUES ($1, $2)`, [rows, inFlight]);
    // the in-flight rows as generated, so the poller benchmark can put them back between runs
    await c.query(`DROP TABLE IF EXISTS bench_inflight`);
    await c.query(
      `CREATE TABLE bench_inflight AS
         SELECT id, status, epay_transaction_id, check_attempts, created_at FROM payments
          WHERE invoice_id::bigint - 200000000000 <= $1 AND invoice_id::bigint >= 200000000000`,
      [inFlight],
    );
  });
}

// Exactly `rows` payments (`inFlight` of them due): reuses, extends or regenerates the database.
export async function ensureDataset(rows: number, inFlight: number, opts: { keep?: boolean } = {}): Promise<Dataset> {
  const name = dataDatabaseName();
  const url = withDatabase(adminUrl(), name);
  const batch = int('batch', 100_000);
  if (opts.keep) kept.add(name);
  const meta = (await databaseExists(name)) ? await readMeta(url) : undefined;
  if (meta && meta.inFlight === inFlight && meta.rows === rows) {
    log(`data: reusing ${name} (${rows} payments)`);
    return { name, url, rows, inFlight };
  }
  if (meta && meta.inFlight === inFlight && meta.rows < rows) {
    log(`data: extending ${name} from ${meta.rows} to ${rows} payments`);
    const generated = await generatePayments(url, meta.rows + 1, rows + 1, inFlight, batch);
    await writeMeta(url, rows, inFlight);
    return { name, url, rows, inFlight, generated };
  }
  log(`data: generating ${name} with ${rows} payments (${inFlight} in flight)`);
  await createMigratedDatabase(name);
  owned.add(name);
  const generated = await generatePayments(url, 1, rows + 1, inFlight, batch);
  await writeMeta(url, rows, inFlight);
  log(
    `data: ${rows} payments in ${generated.seconds.toFixed(1)} s (insert ${generated.insertSeconds.toFixed(1)} s, indexes ${generated.indexSeconds.toFixed(1)} s)`,
  );
  return { name, url, rows, inFlight, generated };
}

export async function cleanupDatasets(): Promise<void> {
  if (bool('keep-db', false)) {
    if (owned.size) log(`kept databases (--keep-db): ${[...owned].join(', ')}`);
    return;
  }
  for (const name of owned) {
    if (kept.has(name)) continue;
    await dropDatabase(name);
    log(`dropped database ${name}`);
  }
  owned.clear();
}
