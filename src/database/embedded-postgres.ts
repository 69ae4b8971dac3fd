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
    keepExtendedQueriesTogether(server);
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

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
  onData: (data: Uint8Array) => void;
}

interface QueryQueue {
  db: PGlite;
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Wire messages that end an exchange: Sync ends an extended-protocol query, Query is a simple one.
const SYNC = 0x53;
const QUERY = 0x51;
const TERMINATE = 0x58;

// pglite-socket 0.2.17 queues every wire message on its own and keeps a connection exclusive only
// inside an explicit transaction, so two connections' Parse/Bind/Execute/Sync sequences interleave on
// PGlite's single session ("bind message supplies 12 parameters, but prepared statement "" requires 1").
// Keep a connection exclusive from its first message until its Sync (or while in a transaction).
function keepExtendedQueriesTogether(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let midSequence: number | null = null;
  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    if (midSequence === handlerId) midSequence = null;
    clear(handlerId);
  };
  q.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = midSequence ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = owner === null ? 0 : this.queue.findIndex((m) => m.handlerId === owner);
        // the owner's next message has not arrived yet: the others wait (enqueue restarts processing)
        if (index < 0) break;
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          midSequence = null;
          item.reject(err);
          continue;
        }
        const type = item.message[0];
        midSequence = type === SYNC || type === QUERY || type === TERMINATE ? null : item.handlerId;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
}
