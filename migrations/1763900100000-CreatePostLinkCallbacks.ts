import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePostLinkCallbacks1763900100000 implements MigrationInterface {
  name = 'CreatePostLinkCallbacks1763900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE postlink_callbacks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        payment_id uuid REFERENCES payments (id),
        kind text NOT NULL CHECK (kind IN ('success', 'failure')),
        content_type text,
        body jsonb,
        epay_transaction_id text,
        invoice_id text,
        code text,
        reason_code text,
        verdict text NOT NULL CHECK (verdict IN ('accepted', 'duplicate', 'unknown_payment', 'rejected_token', 'rejected_secret', 'mismatch', 'malformed')),
        reason text,
        dedupe_key text,
        remote_addr text,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        outcome text
      )`);
    // one accepted callback per payment + ePay transaction + outcome: a repeat is stored as a duplicate
    await q.query(
      `CREATE UNIQUE INDEX "UQ_postlink_callbacks_dedupe" ON postlink_callbacks (dedupe_key) WHERE verdict = 'accepted'`,
    );
    await q.query(`CREATE INDEX "IDX_postlink_callbacks_payment" ON postlink_callbacks (payment_id, received_at)`);
    // accepted but never confirmed (a crash between "stored" and "confirmed"): for operators
    await q.query(
      `CREATE INDEX "IDX_postlink_callbacks_unprocessed" ON postlink_callbacks (received_at) WHERE processed_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE postlink_callbacks`);
  }
}
