import type { MigrationInterface, QueryRunner } from 'typeorm';

// Admin search (issue #7). Built CONCURRENTLY: payments has millions of rows in production and a plain
// CREATE INDEX would block payment writes for the whole build. Hence no transaction for this migration.
export class AddAdminSearchIndexes1763900301000 implements MigrationInterface {
  name = 'AddAdminSearchIndexes1763900301000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    // ?amountMin/amountMax: a selective range was a parallel seq scan of the table (120 ms at 500k rows)
    await createIndex(q, 'IDX_payments_amount', 'payments (amount)');
    // GET /v1/admin/transfers pages in (created_at DESC, id DESC), optionally by status; the P2P
    // migration only indexes by account and attention
    if (await tableExists(q, 'transfers')) {
      await createIndex(q, 'IDX_transfers_created', 'transfers (created_at DESC, id DESC)');
      await createIndex(q, 'IDX_transfers_status_created', 'transfers (status, created_at DESC, id DESC)');
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS "IDX_transfers_status_created"`);
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS "IDX_transfers_created"`);
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS "IDX_payments_amount"`);
  }
}

async function tableExists(q: QueryRunner, table: string): Promise<boolean> {
  const [row] = (await q.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`public.${table}`])) as {
    exists: boolean;
  }[];
  return row.exists;
}

// A concurrent build that failed half-way leaves an INVALID index behind, which IF NOT EXISTS would
// then keep forever: drop such a leftover first.
async function createIndex(q: QueryRunner, name: string, definition: string): Promise<void> {
  const [leftover] = (await q.query(
    `SELECT NOT i.indisvalid AS invalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1`,
    [name],
  )) as { invalid: boolean }[];
  if (leftover?.invalid) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS "${name}"`);
  await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "${name}" ON ${definition}`);
}
