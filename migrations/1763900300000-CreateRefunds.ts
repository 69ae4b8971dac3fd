import type { MigrationInterface, QueryRunner } from 'typeorm';

// Admin (issue #7): the refunds ledger and admin charge/cancel operations.
export class CreateRefunds1763900300000 implements MigrationInterface {
  name = 'CreateRefunds1763900300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE refunds (
        id uuid PRIMARY KEY,
        payment_id uuid NOT NULL REFERENCES payments (id),
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'unknown')),
        external_id text NOT NULL,
        reason text NOT NULL,
        actor_api_key_id uuid,
        failure_code text,
        failure_message text,
        bank_attempts int NOT NULL DEFAULT 0,
        needs_attention boolean NOT NULL DEFAULT false,
        attention_reason text,
        next_check_at timestamptz,
        check_attempts int NOT NULL DEFAULT 0,
        last_checked_at timestamptz,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finalized_at timestamptz
      )`);
    // the bank dedupes on externalID: one value, one refund, ever
    await q.query(`CREATE UNIQUE INDEX "UQ_refunds_external_id" ON refunds (external_id)`);
    await q.query(`CREATE INDEX "IDX_refunds_payment" ON refunds (payment_id, created_at)`);
    await q.query(`CREATE INDEX "IDX_refunds_created" ON refunds (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX "IDX_refunds_status_created" ON refunds (status, created_at DESC, id DESC)`);
    // the reconciliation queue: only open refunds carry next_check_at
    await q.query(`CREATE INDEX "IDX_refunds_due" ON refunds (next_check_at) WHERE next_check_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE payment_operations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        payment_id uuid NOT NULL REFERENCES payments (id),
        kind text NOT NULL CHECK (kind IN ('charge', 'cancel')),
        amount bigint CHECK (amount IS NULL OR amount > 0),
        currency char(3) NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'unknown')),
        reason text,
        actor_api_key_id uuid,
        failure_code text,
        failure_message text,
        needs_attention boolean NOT NULL DEFAULT false,
        attention_reason text,
        next_check_at timestamptz,
        check_attempts int NOT NULL DEFAULT 0,
        last_checked_at timestamptz,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finalized_at timestamptz
      )`);
    // one open charge/cancel per payment: a second one waits for the first to settle
    await q.query(
      `CREATE UNIQUE INDEX "UQ_payment_operations_open" ON payment_operations (payment_id) WHERE status IN ('pending', 'unknown')`,
    );
    await q.query(`CREATE INDEX "IDX_payment_operations_payment" ON payment_operations (payment_id, created_at)`);
    await q.query(
      `CREATE INDEX "IDX_payment_operations_due" ON payment_operations (next_check_at) WHERE next_check_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payment_operations`);
    await q.query(`DROP TABLE refunds`);
  }
}
