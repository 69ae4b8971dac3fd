import type { MigrationInterface, QueryRunner } from 'typeorm';

// Key kinds replace the client/admin role: client keys become secret keys and admin keys become
// owner admin keys (what they could do before), keeping their hashes, so every issued key still works.
export class KeyKindsAndCustomerSessions1764000000000 implements MigrationInterface {
  name = 'KeyKindsAndCustomerSessions1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE api_keys
        ADD COLUMN kind text,
        ADD COLUMN admin_role text,
        ADD COLUMN livemode boolean NOT NULL DEFAULT false,
        ADD COLUMN created_by_key_id uuid,
        ADD COLUMN revoked_by_key_id uuid`);
    await q.query(`
      UPDATE api_keys SET kind = CASE role WHEN 'admin' THEN 'admin' ELSE 'secret' END,
                          admin_role = CASE role WHEN 'admin' THEN 'owner' END`);
    await q.query(`ALTER TABLE api_keys ALTER COLUMN kind SET NOT NULL, ALTER COLUMN livemode DROP DEFAULT`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN role`);
    await q.query(`
      ALTER TABLE api_keys
        ADD CONSTRAINT "CHK_api_keys_kind" CHECK (kind IN ('secret', 'publishable', 'admin')),
        ADD CONSTRAINT "CHK_api_keys_admin_role" CHECK (
          (kind = 'admin') = (admin_role IS NOT NULL) AND
          (admin_role IS NULL OR admin_role IN ('viewer', 'operator', 'owner')))`);

    await q.query(`
      CREATE TABLE customer_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key_hash text NOT NULL,
        account_id text NOT NULL,
        created_by_key_id uuid NOT NULL REFERENCES api_keys (id),
        livemode boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX "IDX_customer_sessions_key_hash" ON customer_sessions (key_hash)`);
    await q.query(`CREATE INDEX "IDX_customer_sessions_expires_at" ON customer_sessions (expires_at)`);
    // pruned by the retention job some days after expiry
    await q.query(`INSERT INTO retention_jobs (id, next_check_at) VALUES ('customer_sessions', now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM retention_jobs WHERE id = 'customer_sessions'`);
    await q.query(`DROP TABLE customer_sessions`);
    await q.query(
      `ALTER TABLE api_keys DROP CONSTRAINT "CHK_api_keys_kind", DROP CONSTRAINT "CHK_api_keys_admin_role"`,
    );
    await q.query(`ALTER TABLE api_keys ADD COLUMN role text`);
    // a publishable key has no old equivalent: it is revoked rather than given a client key's powers
    await q.query(`
      UPDATE api_keys SET role = CASE kind WHEN 'admin' THEN 'admin' ELSE 'client' END,
                          revoked_at = CASE WHEN kind = 'publishable' THEN coalesce(revoked_at, now()) ELSE revoked_at END`);
    await q.query(`ALTER TABLE api_keys ALTER COLUMN role SET NOT NULL`);
    await q.query(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('client', 'admin'))`);
    await q.query(`
      ALTER TABLE api_keys DROP COLUMN kind, DROP COLUMN admin_role, DROP COLUMN livemode,
        DROP COLUMN created_by_key_id, DROP COLUMN revoked_by_key_id`);
  }
}
