import type { MigrationInterface, QueryRunner } from 'typeorm';

// postLink callbacks (issue 13 item 2, issue 14): a wrong secret_hash is recorded as suspicious and
// still checked; callbacks for unknown or forged URLs are kept only as a bounded sample, counted
// through this partial index.
export class PostLinkFloodLimits1763900500000 implements MigrationInterface {
  name = 'PostLinkFloodLimits1763900500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE postlink_callbacks DROP CONSTRAINT IF EXISTS postlink_callbacks_verdict_check`);
    await q.query(
      `ALTER TABLE postlink_callbacks ADD CONSTRAINT postlink_callbacks_verdict_check CHECK (verdict IN
        ('accepted', 'duplicate', 'unknown_payment', 'rejected_token', 'rejected_secret', 'suspicious_secret', 'mismatch', 'malformed'))`,
    );
    await q.query(
      `CREATE INDEX "IDX_postlink_callbacks_unmatched" ON postlink_callbacks (received_at)
        WHERE verdict IN ('unknown_payment', 'rejected_token')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS "IDX_postlink_callbacks_unmatched"`);
    await q.query(`ALTER TABLE postlink_callbacks DROP CONSTRAINT IF EXISTS postlink_callbacks_verdict_check`);
    await q.query(
      `ALTER TABLE postlink_callbacks ADD CONSTRAINT postlink_callbacks_verdict_check CHECK (verdict IN
        ('accepted', 'duplicate', 'unknown_payment', 'rejected_token', 'rejected_secret', 'mismatch', 'malformed'))`,
    );
  }
}
