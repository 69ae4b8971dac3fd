import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { ApiKeyRole } from './api-key-role.enum';
import { ApiKeyEntity } from './api-key.entity';

export interface AuthenticatedApiKey {
  id: string;
  name: string;
  role: ApiKeyRole;
}

// Keys are cached briefly so authentication costs no query on the hot path; a revoke is seen by
// every replica within CACHE_TTL_MS.
const CACHE_TTL_MS = 10_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly cache = new Map<string, { key: AuthenticatedApiKey | null; until: number }>();

  constructor(@InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>) {}

  async create(role: ApiKeyRole, name: string): Promise<{ key: string; record: ApiKeyEntity }> {
    const key = `epk_${role === ApiKeyRole.ADMIN ? 'admin' : 'live'}_${randomBytes(32).toString('base64url')}`;
    const record = await this.repo.save(
      this.repo.create({ role, name, keyHash: hashApiKey(key), prefix: key.slice(0, 16), revokedAt: null }),
    );
    return { key, record };
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.cache.clear();
    return (result.affected ?? 0) > 0;
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  async authenticate(key: string): Promise<AuthenticatedApiKey | null> {
    const hash = hashApiKey(key);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.key;
    const record = await this.repo.findOne({ where: { keyHash: hash, revokedAt: IsNull() } });
    const result = record ? { id: record.id, name: record.name, role: record.role } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { key: result, until: now + CACHE_TTL_MS });
    return result;
  }

  // First start in embedded/sandbox mode: one key of each role, printed once to the console (never to the log).
  async ensureDevelopmentKeys(): Promise<void> {
    if ((await this.count()) > 0) return;
    const client = await this.create(ApiKeyRole.CLIENT, 'development client key');
    const admin = await this.create(ApiKeyRole.ADMIN, 'development admin key');
    process.stdout.write(
      [
        '',
        '  Development API keys (shown once; stored only as hashes):',
        `    client: ${client.key}`,
        `    admin:  ${admin.key}`,
        '  Use them as "Authorization: Bearer <key>" or "X-API-Key: <key>".',
        '',
      ].join('\n') + '\n',
    );
    this.logger.log('created development API keys (client, admin)');
  }
}
