import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 14: retention. One schedule row per table the retention job prunes (claimed by the reconciliation
// poller like any queue item: next_check_at + lease_until), and the time indexes its batched deletes walk.
// The indexes are built in the migration's transaction: on a large existing table, run this migration in a
// quiet period (or create them CONCURRENTLY by hand first: IF NOT EXISTS keeps this a no-op then).
export class CreateRetentionJobs1763901401000 implements MigrationInterface {
  name = 'CreateRetentionJobs1763901401000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE retention_jobs (
        id text PRIMARY KEY,
        next_check_at timestamptz,
        lease_until timestamptz,
        last_run_at timestamptz,
        last_removed bigint NOT NULL DEFAULT 0,
        total_removed bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`
      INSERT INTO retention_jobs (id, next_check_at) VALUES
        ('gateway_exchanges', now()), ('postlink_callbacks', now()),
        ('outbound_delivery_attempts', now()), ('payment_event_payloads', now())`);
    await q.query(`CREATE INDEX IF NOT EXISTS "IDX_gateway_exchanges_created" ON gateway_exchanges (created_at)`);
    await q.query(`CREATE INDEX IF NOT EXISTS "IDX_postlink_callbacks_received" ON postlink_callbacks (received_at)`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS "IDX_outbound_attempts_created" ON outbound_delivery_attempts (created_at)`,
    );
    await q.query(
      `CREATE INDEX IF NOT EXISTS "IDX_payment_events_with_data" ON payment_events (created_at) WHERE data IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS "IDX_payment_events_with_data"`);
    await q.query(`DROP INDEX IF EXISTS "IDX_outbound_attempts_created"`);
    await q.query(`DROP INDEX IF EXISTS "IDX_postlink_callbacks_received"`);
    await q.query(`DROP INDEX IF EXISTS "IDX_gateway_exchanges_created"`);
    await q.query(`DROP TABLE retention_jobs`);
  }
}
