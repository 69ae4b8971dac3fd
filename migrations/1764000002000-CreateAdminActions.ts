import type { MigrationInterface, QueryRunner } from 'typeorm';

// The back-office audit trail: every action taken with an admin key.
export class CreateAdminActions1764000002000 implements MigrationInterface {
  name = 'CreateAdminActions1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE admin_actions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        api_key_id uuid NOT NULL,
        key_name text NOT NULL,
        admin_role text NOT NULL,
        method text NOT NULL,
        route text NOT NULL,
        target_id text,
        status_code int NOT NULL,
        request_id text
      )`);
    await q.query(`CREATE INDEX "IDX_admin_actions_target" ON admin_actions (target_id, created_at)`);
    await q.query(`CREATE INDEX "IDX_admin_actions_created_at" ON admin_actions (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE admin_actions`);
  }
}
