import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync, readFileSync } from 'node:fs';

export interface EmbeddedPostgresOptions {
  // a directory path, or memory:// for an in-memory database (tests)
  dataDir: string;
  // a tarball from PGlite.dumpDataDir, loaded instead of a fresh initdb (tests start from a migrated snapshot)
  snapshotFile?: string;
  maxConnections: number;
}

// PGlite served over a local socket so TypeORM uses the ordinary pg driver (correct transactions,
// unlike the in-process driver, see TOOLCHAIN.md).
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const inMemory = options.dataDir.startsWith('memory://');
    if (!inMemory) mkdirSync(options.dataDir, { recursive: true });
    const loadDataDir = options.snapshotFile ? new Blob([readFileSync(options.snapshotFile)]) : undefined;
    const db = await PGlite.create(inMemory ? undefined : options.dataDir, loadDataDir ? { loadDataDir } : {});
    const server = new PGLiteSocketServer({
      db,
      port: 0,
      host: '127.0.0.1',
      maxConnections: options.maxConnections,
    });
    await server.start();
    const conn = server.getServerConn();
    const port = Number(conn.split(':').pop());
    return new EmbeddedPostgres(db, server, `postgres://postgres:postgres@127.0.0.1:${port}/postgres`);
  }

  async dump(): Promise<Blob> {
    return this.db.dumpDataDir('none');
  }

  async stop(): Promise<void> {
    await this.server.stop().catch(() => undefined);
    await this.db.close().catch(() => undefined);
  }
}
