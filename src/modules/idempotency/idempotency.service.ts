import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfigService } from '../../config/app-config.service';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

// How long a request may hold its key before another attempt may look at what it left behind.
export const IDEMPOTENCY_LEASE_MS = 60_000;

export type ResourceResolver = (id: string) => Promise<unknown>;

export type BeginResult =
  | { kind: 'started'; record: IdempotencyKeyEntity }
  | { kind: 'replay'; record: IdempotencyKeyEntity }
  | { kind: 'mismatch' }
  | { kind: 'in_progress'; record: IdempotencyKeyEntity }
  // the first attempt died after creating its resource: answer with the resource as it is now
  | { kind: 'orphaned'; record: IdempotencyKeyEntity };

@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);
  private readonly resolvers = new Map<string, ResourceResolver>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfigService,
  ) {}

  // Each module that attaches resources says how to show one (for retries after a crash).
  registerResolver(type: string, resolver: ResourceResolver): void {
    this.resolvers.set(type, resolver);
  }

  resolver(type: string | null): ResourceResolver | undefined {
    return type ? this.resolvers.get(type) : undefined;
  }

  private get repo() {
    return this.dataSource.getRepository(IdempotencyKeyEntity);
  }

  async begin(apiKeyId: string, key: string, scope: string, hash: string): Promise<BeginResult> {
    const ttlMs = this.config.get('IDEMPOTENCY_TTL_HOURS') * 3_600_000;
    const inserted: IdempotencyKeyEntity[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (api_key_id, key, scope, request_hash, state, locked_until, expires_at)
       VALUES ($1, $2, $3, $4, 'in_progress', now() + make_interval(secs => $5), now() + make_interval(secs => $6))
       ON CONFLICT (api_key_id, key) DO NOTHING
       RETURNING id`,
      [apiKeyId, key, scope, hash, IDEMPOTENCY_LEASE_MS / 1000, ttlMs / 1000],
    );
    if (inserted.length) {
      // no second read: the caller only needs the record's id
      return {
        kind: 'started',
        record: this.repo.create({ id: inserted[0].id, apiKeyId, key, scope, requestHash: hash, state: 'in_progress' }),
      };
    }
    return this.inspect(apiKeyId, key, scope, hash);
  }

  private async inspect(apiKeyId: string, key: string, scope: string, hash: string): Promise<BeginResult> {
    const record = await this.repo.findOneBy({ apiKeyId, key });
    if (!record) return this.begin(apiKeyId, key, scope, hash); // expired and deleted in between
    if (record.expiresAt.getTime() < Date.now()) {
      await this.repo.delete({ id: record.id });
      return this.begin(apiKeyId, key, scope, hash);
    }
    if (record.scope !== scope || record.requestHash !== hash) return { kind: 'mismatch' };
    if (record.state === 'completed') return { kind: 'replay', record };
    if (record.lockedUntil && record.lockedUntil.getTime() > Date.now()) return { kind: 'in_progress', record };
    if (record.resourceId) return { kind: 'orphaned', record };
    // the first attempt died before creating anything (so before any bank call): take the key over
    const [taken] = (await this.dataSource.query(
      `UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => $2)
       WHERE id = $1 AND state = 'in_progress' AND resource_id IS NULL AND (locked_until IS NULL OR locked_until < now())
       RETURNING id`,
      [record.id, IDEMPOTENCY_LEASE_MS / 1000],
    )) as [unknown[], number];
    return taken.length ? { kind: 'started', record } : { kind: 'in_progress', record };
  }

  async waitForCompletion(id: string, timeoutMs: number): Promise<IdempotencyKeyEntity | null> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      const record = await this.repo.findOneBy({ id });
      if (!record || record.state === 'completed') return record;
    }
    return null;
  }

  async attachResource(manager: EntityManager, id: string, type: string, resourceId: string): Promise<void> {
    await manager.getRepository(IdempotencyKeyEntity).update({ id }, { resourceType: type, resourceId });
  }

  async complete(id: string, status: number, body: unknown): Promise<void> {
    await this.repo.update(
      { id },
      { state: 'completed', responseStatus: status, responseBody: body as object, lockedUntil: null },
    );
  }

  // A request that failed without a stored answer: if it created nothing, the key is free again;
  // if it did, a retry gets that resource as it is now.
  async abandon(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET locked_until = now() WHERE id = $1 AND state = 'in_progress'`,
      [id],
    );
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE id = $1 AND state = 'in_progress' AND resource_id IS NULL`,
      [id],
    );
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'idempotency-cleanup' })
  async purgeExpired(): Promise<void> {
    try {
      const result = await this.dataSource.query(`DELETE FROM idempotency_keys WHERE expires_at < now()`);
      const count = Array.isArray(result) ? (result[1] ?? 0) : 0;
      if (count) this.logger.log(`purged ${count} expired idempotency keys`);
    } catch (err) {
      this.logger.warn(`idempotency purge failed: ${(err as Error).message}`);
    }
  }
}
