import type { MigrationInterface, QueryRunner } from 'typeorm';

// Which kind of key created each payment, transfer and saved card (secret, publishable,
// customer_session), for investigation; rows from before key kinds were made by client = secret keys.
export class RecordCreatorKind1764000001000 implements MigrationInterface {
  name = 'RecordCreatorKind1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payments ADD COLUMN created_by_kind text`);
    await q.query(`UPDATE payments SET created_by_kind = 'secret' WHERE api_key_id IS NOT NULL`);
    await q.query(`ALTER TABLE transfers ADD COLUMN created_by_kind text`);
    await q.query(`UPDATE transfers SET created_by_kind = 'secret' WHERE api_key_id IS NOT NULL`);
    await q.query(`ALTER TABLE saved_cards ADD COLUMN created_by_kind text, ADD COLUMN created_by_key_id uuid`);
    await q.query(`
      UPDATE saved_cards c SET created_by_kind = p.created_by_kind, created_by_key_id = p.api_key_id
        FROM payments p WHERE p.id = c.payment_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE saved_cards DROP COLUMN created_by_kind, DROP COLUMN created_by_key_id`);
    await q.query(`ALTER TABLE transfers DROP COLUMN created_by_kind`);
    await q.query(`ALTER TABLE payments DROP COLUMN created_by_kind`);
  }
}
