import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isSealed, SecretBox } from '../src/common/crypto/secret-box';

// the migration CLI has no app config: the deploy step exports the same ENCRYPTION_KEY(S_OLD) as the app
function secretBox(): SecretBox {
  const env = process.env;
  if (env.NODE_ENV === 'production' && !env.ENCRYPTION_KEY) {
    throw new Error('ENCRYPTION_KEY: required when NODE_ENV=production (it seals the webhook secrets)');
  }
  return SecretBox.fromSettings({ ENCRYPTION_KEY: env.ENCRYPTION_KEY, ENCRYPTION_KEYS_OLD: env.ENCRYPTION_KEYS_OLD });
}

// Issue 14: webhook signing secrets were stored in clear. Seals every clear one under ENCRYPTION_KEY (the
// development key when unset outside production).
// down opens them again, so the previous release can sign with them.
export class EncryptWebhookSecrets1763901400000 implements MigrationInterface {
  name = 'EncryptWebhookSecrets1763901400000';

  // the key is needed only when there is something to seal (a fresh database has no endpoints)
  async up(q: QueryRunner): Promise<void> {
    let box: SecretBox | undefined;
    await rewrite(q, (v) => (isSealed(v) ? v : (box ??= secretBox()).seal(v)));
  }

  async down(q: QueryRunner): Promise<void> {
    let box: SecretBox | undefined;
    await rewrite(q, (v) => (isSealed(v) ? (box ??= secretBox()).open(v) : v));
  }
}

async function rewrite(q: QueryRunner, change: (value: string) => string): Promise<void> {
  const rows: { id: string; secret: string; previous_secret: string | null }[] = await q.query(
    `SELECT id, secret, previous_secret FROM outbound_webhook_endpoints FOR UPDATE`,
  );
  for (const r of rows) {
    const secret = change(r.secret);
    const previous = r.previous_secret === null ? null : change(r.previous_secret);
    if (secret === r.secret && previous === r.previous_secret) continue;
    await q.query(`UPDATE outbound_webhook_endpoints SET secret = $2, previous_secret = $3 WHERE id = $1`, [
      r.id,
      secret,
      previous,
    ]);
  }
}
