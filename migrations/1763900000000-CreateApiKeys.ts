import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiKeys1763900000000 implements MigrationInterface {
  name = 'CreateApiKeys1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('client', 'admin')),
        key_hash text NOT NULL,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX "IDX_api_keys_key_hash" ON api_keys (key_hash)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
