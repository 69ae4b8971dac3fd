import type { MigrationInterface, QueryRunner } from 'typeorm';

// When a widget payment's token (the customer's way to pay) stops working, so an unpaid widget payment
// can be closed once it can no longer be paid. The token itself is never stored.
export class CreateWidgetSessions1763900201000 implements MigrationInterface {
  name = 'CreateWidgetSessions1763900201000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE widget_sessions (
        payment_id uuid PRIMARY KEY REFERENCES payments (id) ON DELETE CASCADE,
        token_expires_at timestamptz NOT NULL,
        expiry_check_at timestamptz,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX "IDX_widget_sessions_due" ON widget_sessions (expiry_check_at) WHERE expiry_check_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE widget_sessions`);
  }
}
