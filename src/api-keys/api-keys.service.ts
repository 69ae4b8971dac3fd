import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { AppConfigService } from '../config/app-config.service';
import type { AuthenticatedApiKey } from './access-policy';
import { AdminRole, ApiKeyKind, KEY_PREFIX, LEGACY_KEY_PREFIX } from './api-key-kind.enum';
import { ApiKeyEntity } from './api-key.entity';
import { CustomerSessionEntity } from './customer-session.entity';

export type { AuthenticatedApiKey } from './access-policy';

// Keys are cached briefly so authentication costs no query on the hot path; a revoke is seen by
// every replica within CACHE_TTL_MS (a customer session's expiry is exact).
const CACHE_TTL_MS = 10_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface CreateKeyOptions {
  adminRole?: AdminRole;
  createdByKeyId?: string | null;
}

@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly cache = new Map<string, { key: AuthenticatedApiKey | null; until: number }>();
  private readonly warnedLegacy = new Set<string>();

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>,
    @InjectRepository(CustomerSessionEntity) private readonly sessions: Repository<CustomerSessionEntity>,
    private readonly config: AppConfigService,
  ) {}

  // live keys only while the service talks to the live bank
  get livemode(): boolean {
    return this.config.get('EPAY_ENV') === 'prod';
  }

  private mint(kind: ApiKeyKind): string {
    return `${KEY_PREFIX[kind]}_${this.livemode ? 'live' : 'test'}_${randomBytes(32).toString('base64url')}`;
  }

  async create(
    kind: Exclude<ApiKeyKind, ApiKeyKind.CUSTOMER_SESSION>,
    name: string,
    options: CreateKeyOptions = {},
  ): Promise<{ key: string; record: ApiKeyEntity }> {
    const adminRole = kind === ApiKeyKind.ADMIN ? (options.adminRole ?? AdminRole.VIEWER) : null;
    const key = this.mint(kind);
    const record = await this.repo.save(
      this.repo.create({
        kind,
        adminRole,
        name,
        livemode: this.livemode,
        keyHash: hashApiKey(key),
        prefix: key.slice(0, 16),
        createdByKeyId: options.createdByKeyId ?? null,
        revokedAt: null,
        revokedByKeyId: null,
      }),
    );
    return { key, record };
  }

  async createCustomerSession(
    creator: AuthenticatedApiKey,
    accountId: string,
  ): Promise<{ key: string; record: CustomerSessionEntity }> {
    const key = this.mint(ApiKeyKind.CUSTOMER_SESSION);
    const ttlMs = this.config.get('CUSTOMER_SESSION_TTL_MINUTES') * 60_000;
    const record = await this.sessions.save(
      this.sessions.create({
        keyHash: hashApiKey(key),
        accountId,
        createdByKeyId: creator.id,
        livemode: this.livemode,
        expiresAt: new Date(Date.now() + ttlMs),
        revokedAt: null,
      }),
    );
    return { key, record };
  }

  async revokeCustomerSession(id: string): Promise<boolean> {
    const result = await this.sessions.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.cache.clear();
    return (result.affected ?? 0) > 0;
  }

  async revoke(id: string, by: AuthenticatedApiKey | null = null): Promise<boolean> {
    const result = await this.repo.update(
      { id, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedByKeyId: by?.id ?? null },
    );
    this.cache.clear();
    return (result.affected ?? 0) > 0;
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  // null: unknown, revoked, expired, or minted for the other mode (a test key against the live bank)
  async authenticate(raw: string): Promise<AuthenticatedApiKey | null> {
    const hash = hashApiKey(raw);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.key;
    const found = raw.startsWith(`${KEY_PREFIX[ApiKeyKind.CUSTOMER_SESSION]}_`)
      ? await this.findSession(hash)
      : await this.findKey(hash);
    const key = found && (found.key.legacy || found.key.livemode === this.livemode) ? found.key : null;
    if (key?.legacy) this.warnLegacy(key);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { key, until: Math.min(now + CACHE_TTL_MS, found?.until ?? Infinity) });
    return key;
  }

  private async findKey(hash: string): Promise<{ key: AuthenticatedApiKey; until?: number } | null> {
    const record = await this.repo.findOne({ where: { keyHash: hash, revokedAt: IsNull() } });
    if (!record) return null;
    return {
      key: {
        id: record.id,
        name: record.name,
        kind: record.kind,
        adminRole: record.adminRole,
        accountId: null,
        livemode: record.livemode,
        legacy: record.prefix.startsWith(LEGACY_KEY_PREFIX),
      },
    };
  }

  // a session dies when it expires, is revoked, or the secret key that minted it is revoked
  private async findSession(hash: string): Promise<{ key: AuthenticatedApiKey; until: number } | null> {
    const session = await this.sessions
      .createQueryBuilder('s')
      .innerJoin(ApiKeyEntity, 'k', 'k.id = s.created_by_key_id AND k.revoked_at IS NULL')
      .where('s.key_hash = :hash AND s.revoked_at IS NULL AND s.expires_at > now()', { hash })
      .getOne();
    if (!session) return null;
    return {
      key: {
        id: session.id,
        name: `customer session for ${session.accountId}`,
        kind: ApiKeyKind.CUSTOMER_SESSION,
        adminRole: null,
        accountId: session.accountId,
        livemode: session.livemode,
        legacy: false,
      },
      until: session.expiresAt.getTime(),
    };
  }

  private warnLegacy(key: AuthenticatedApiKey): void {
    if (this.warnedLegacy.has(key.id)) return;
    this.warnedLegacy.add(key.id);
    const replacement = key.kind === ApiKeyKind.ADMIN ? '--kind admin --role <role>' : '--kind secret';
    this.logger.warn(
      { apiKeyId: key.id, name: key.name, kind: key.kind },
      `deprecated epk_ API key in use (works as a ${key.kind} key); replace it: npm run api-keys -- create ${replacement}`,
    );
  }

  // First start in embedded/sandbox mode: one key of each kind, printed once to the console (never to the log).
  async ensureDevelopmentKeys(): Promise<void> {
    if ((await this.count()) > 0) return;
    const secret = await this.create(ApiKeyKind.SECRET, 'development secret key');
    const publishable = await this.create(ApiKeyKind.PUBLISHABLE, 'development publishable key');
    const admin = await this.create(ApiKeyKind.ADMIN, 'development admin (owner)', { adminRole: AdminRole.OWNER });
    process.stdout.write(
      [
        '',
        '  Development API keys (shown once; stored only as hashes):',
        `    secret key (your servers):                ${secret.key}`,
        `    publishable key (web pages and apps):     ${publishable.key}`,
        `    admin key, role owner (back office):      ${admin.key}`,
        '  Use them as "Authorization: Bearer <key>" or "X-API-Key: <key>".',
        '  Customer sessions (cs_…) are minted with the secret key: POST /v1/customer-sessions {"accountId"}.',
        '',
      ].join('\n') + '\n',
    );
    this.logger.log('created development API keys (secret, publishable, admin owner)');
  }
}
