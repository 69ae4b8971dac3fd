import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfigService } from '../config/app-config.service';
import { EmbeddedPostgres } from './embedded-postgres';

// Starts the embedded PGlite server when DATABASE_URL is unset; production refuses that in config validation.
@Injectable()
export class EmbeddedDatabaseService implements OnApplicationShutdown {
  private readonly logger = new Logger(EmbeddedDatabaseService.name);
  private instance?: Promise<EmbeddedPostgres>;

  constructor(private readonly config: AppConfigService) {}

  async url(): Promise<string> {
    this.instance ??= EmbeddedPostgres.start({
      dataDir: this.config.get('PGLITE_DATA_DIR') ?? join(this.config.get('DATA_DIR'), 'pglite'),
      snapshotFile: this.config.get('PGLITE_SNAPSHOT_FILE'),
      // the socket server multiplexes; it must accept at least the pool size
      maxConnections: this.config.get('DATABASE_POOL_SIZE') + 5,
    });
    const db = await this.instance;
    this.logger.log(`embedded PostgreSQL (PGlite) listening on ${db.url.replace(/\/\/.*@/, '//')}`);
    return db.url;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.instance) return;
    const db = await this.instance;
    this.instance = undefined;
    // let TypeORM's pool close first
    await new Promise((r) => setTimeout(r, 50));
    await db.stop();
  }
}
