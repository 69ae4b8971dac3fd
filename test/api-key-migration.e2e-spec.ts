import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { hashApiKey } from '../src/api-keys/api-keys.service';
import { buildDataSourceOptions } from '../src/database/data-source.options';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { api } from './setup/api';
import { adminQuery, realPostgresUrl, withDatabase } from './setup/test-database';
import { startTestApp } from './setup/test-app';

const KEY_KINDS_MIGRATION = 1764000000000;
const stamp = (m: Function) => Number(/\d{13}$/.exec(m.name)?.[0]);

// A database as it was before key kinds, with keys issued then: after the migration the same keys
// work, client keys as secret keys and admin keys as owner admin keys; and the migration goes back.
describe('migrating API keys issued before key kinds', () => {
  let url: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const pg = realPostgresUrl();
    if (pg) {
      const name = `epay_keymig_${process.pid}_${randomBytes(3).toString('hex')}`;
      await adminQuery(`CREATE DATABASE ${name}`);
      url = withDatabase(pg, name);
      cleanup = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } else {
      const db = await EmbeddedPostgres.start({ dataDir: 'memory://', maxConnections: 8 });
      url = db.url;
      cleanup = () => db.stop();
    }
  });
  afterAll(() => cleanup?.());

  async function withDataSource<T>(migrations: Function[], fn: (ds: DataSource) => Promise<T>): Promise<T> {
    const ds = new DataSource({ ...buildDataSourceOptions(url, { poolSize: 2, migrationsRun: false }), migrations });
    await ds.initialize();
    try {
      return await fn(ds);
    } finally {
      await ds.destroy();
    }
  }

  it('keeps every key working with the powers it had, and reverts', async () => {
    const client = `epk_live_${randomBytes(32).toString('base64url')}`;
    const admin = `epk_admin_${randomBytes(32).toString('base64url')}`;
    await withDataSource(
      MIGRATIONS.filter((m) => stamp(m) < KEY_KINDS_MIGRATION),
      async (ds) => {
        await ds.runMigrations({ transaction: 'each' });
        for (const [key, role] of [
          [client, 'client'],
          [admin, 'admin'],
        ])
          await ds.query(`INSERT INTO api_keys (name, role, key_hash, prefix) VALUES ($1, $2, $3, $4)`, [
            `old ${role}`,
            role,
            hashApiKey(key),
            key.slice(0, 16),
          ]);
      },
    );
    await withDataSource(MIGRATIONS, (ds) => ds.runMigrations({ transaction: 'each' }));

    const t = await startTestApp({ databaseUrl: url });
    try {
      const me = await api(t, client).get('/v1/me').expect(200);
      expect(me.body).toMatchObject({ kind: 'secret', role: null });
      const boss = await api(t, admin).get('/v1/me').expect(200);
      expect(boss.body).toMatchObject({ kind: 'admin', role: 'owner' });
      await api(t, admin).get('/v1/admin/api-keys').expect(200);
      await api(t, client).get('/v1/admin/api-keys').expect(403);
      await api(t, 'admin').post('/v1/admin/api-keys', { name: 'web', kind: 'publishable' }).expect(201);
    } finally {
      await t.close();
    }

    // down: the old role column comes back; a publishable key has no old equivalent and is revoked
    const rows = await withDataSource(MIGRATIONS, async (ds) => {
      for (const _ of MIGRATIONS.filter((m) => stamp(m) >= KEY_KINDS_MIGRATION))
        await ds.undoLastMigration({ transaction: 'each' });
      return ds.query(`SELECT name, role, revoked_at IS NOT NULL AS revoked FROM api_keys ORDER BY created_at, name`);
    });
    expect(rows).toEqual(
      expect.arrayContaining([
        { name: 'old client', role: 'client', revoked: false },
        { name: 'old admin', role: 'admin', revoked: false },
        { name: 'web', role: 'client', revoked: true },
      ]),
    );
  });
});
