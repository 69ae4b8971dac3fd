import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { SecretBox } from '../../common/crypto/secret-box';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';
import type { CreateWebhookEndpointDto } from './dtos/create-webhook-endpoint.dto';
import type { UpdateWebhookEndpointDto } from './dtos/update-webhook-endpoint.dto';
import { OutboundDeliveryEntity, DeliveryStatus, OPEN_DELIVERY_STATUSES } from './outbound-delivery.entity';
import { resolvedHostProblem } from './utils/address-policy.util';
import { endpointUrlProblem } from './utils/endpoint-url.util';
import { OutboundWebhookEndpointEntity } from './webhook-endpoint.entity';

const DEFAULT_GRACE_HOURS = 24;

// 256 random bits. Stored sealed (SecretBox, AES-256-GCM under ENCRYPTION_KEY): only the sealed form
// travels as a query parameter (TypeORM prints the parameters of a failing query) or rests in a dump.
const newSecret = () => `whsec_${randomBytes(32).toString('hex')}`;

// Company endpoints, managed by admins. Secrets leave this service only in the create/rotate answers.
@Injectable()
export class WebhookEndpointsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookEndpointsService.name);

  constructor(
    @InjectRepository(OutboundWebhookEndpointEntity) private readonly repo: Repository<OutboundWebhookEndpointEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfigService,
    private readonly secrets: SecretBox,
  ) {}

  // Secrets still in clear (written by an older replica) or sealed under an ENCRYPTION_KEYS_OLD key are
  // re-sealed under the current key; each update is conditional on the value read, so a rotation running
  // meanwhile on another replica is never undone.
  async onApplicationBootstrap(): Promise<void> {
    const rows: { id: string; secret: string; previous_secret: string | null }[] = await this.dataSource.query(
      `SELECT id, secret, previous_secret FROM outbound_webhook_endpoints`,
    );
    let resealed = 0;
    for (const r of rows) {
      const stale = (v: string | null) => v !== null && !this.secrets.isCurrent(v);
      if (!stale(r.secret) && !stale(r.previous_secret)) continue;
      const reseal = (v: string | null) => (v === null ? null : this.secrets.seal(this.secrets.open(v)));
      const [, affected] = (await this.dataSource.query(
        `UPDATE outbound_webhook_endpoints SET secret = $2, previous_secret = $3
          WHERE id = $1 AND secret = $4 AND previous_secret IS NOT DISTINCT FROM $5`,
        [r.id, reseal(r.secret), reseal(r.previous_secret), r.secret, r.previous_secret],
      )) as [unknown, number];
      resealed += affected;
    }
    if (resealed) this.logger.log({ resealed }, 'webhook secrets re-sealed under the current ENCRYPTION_KEY');
  }

  async create(dto: CreateWebhookEndpointDto): Promise<OutboundWebhookEndpointEntity> {
    await this.checkUrl(dto.url);
    const [row] = await this.dataSource.query(
      `INSERT INTO outbound_webhook_endpoints (url, description, event_types, enabled, secret)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [dto.url, dto.description ?? null, dto.eventTypes, dto.enabled ?? true, this.secrets.seal(newSecret())],
    );
    this.logger.log({ endpointId: row.id, eventTypes: dto.eventTypes }, 'webhook endpoint created');
    return this.get(row.id);
  }

  // endpoints come out with their secrets opened (the answers show a prefix, create/rotate the secret)
  async list(): Promise<OutboundWebhookEndpointEntity[]> {
    const rows = await this.repo.find({ where: { deletedAt: IsNull() }, order: { createdAt: 'ASC' } });
    return rows.map((e) => this.opened(e));
  }

  async get(id: string): Promise<OutboundWebhookEndpointEntity> {
    const endpoint = await this.repo.findOne({ where: { id, deletedAt: IsNull() } });
    if (!endpoint) throw new AppException(ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, 'Webhook endpoint not found');
    return this.opened(endpoint);
  }

  private opened(e: OutboundWebhookEndpointEntity): OutboundWebhookEndpointEntity {
    e.secret = this.secrets.open(e.secret);
    e.previousSecret = e.previousSecret === null ? null : this.secrets.open(e.previousSecret);
    return e;
  }

  async update(id: string, dto: UpdateWebhookEndpointDto): Promise<OutboundWebhookEndpointEntity> {
    await this.get(id);
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    // only the given columns: an UPDATE carrying the secret could end up in a failed-query log
    const patch: Partial<OutboundWebhookEndpointEntity> = {};
    if (dto.url !== undefined) patch.url = dto.url;
    if (dto.eventTypes !== undefined) patch.eventTypes = dto.eventTypes;
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.enabled !== undefined) patch.enabled = dto.enabled;
    if (Object.keys(patch).length) await this.repo.update({ id, deletedAt: IsNull() }, patch);
    this.logger.log({ endpointId: id, fields: Object.keys(patch) }, 'webhook endpoint updated');
    return this.get(id);
  }

  setEnabled(id: string, enabled: boolean): Promise<OutboundWebhookEndpointEntity> {
    return this.update(id, { enabled });
  }

  // Soft delete: the history stays readable; deliveries still open are cancelled (an attempt in flight
  // is still recorded, but cannot settle: its claim token is cleared).
  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const result = await m
        .getRepository(OutboundWebhookEndpointEntity)
        .update({ id, deletedAt: IsNull() }, { deletedAt: new Date(), enabled: false });
      if (!result.affected) throw new AppException(ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, 'Webhook endpoint not found');
      await m
        .getRepository(OutboundDeliveryEntity)
        .createQueryBuilder()
        .update()
        .set({ status: DeliveryStatus.CANCELLED, leaseUntil: null, claimToken: null, updatedAt: () => 'now()' })
        .where('endpoint_id = :id AND status IN (:...open)', { id, open: OPEN_DELIVERY_STATUSES })
        .execute();
    });
    this.logger.log({ endpointId: id }, 'webhook endpoint deleted');
  }

  // The new secret signs from now on; the old one keeps signing too (a second v1= value) for the grace
  // period, so receivers can switch without rejecting anything.
  async rotateSecret(id: string, graceHours = DEFAULT_GRACE_HOURS): Promise<OutboundWebhookEndpointEntity> {
    // on the right-hand side "secret" is still the old value
    const [rows] = (await this.dataSource.query(
      `UPDATE outbound_webhook_endpoints SET
         previous_secret = CASE WHEN $2::int > 0 THEN secret END,
         previous_secret_expires_at = CASE WHEN $2::int > 0 THEN now() + $2::int * interval '1 hour' END,
         secret = $3,
         updated_at = now()
       WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
      [id, graceHours, this.secrets.seal(newSecret())],
    )) as [unknown[], number];
    if (!rows.length) throw new AppException(ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, 'Webhook endpoint not found');
    this.logger.log({ endpointId: id, graceHours }, 'webhook endpoint secret rotated');
    return this.get(id);
  }

  // refused at creation here, and again at every connect by the sender (DNS may change meanwhile)
  private async checkUrl(url: string): Promise<void> {
    const allowPrivate = this.config.get('WEBHOOK_ALLOW_PRIVATE_URLS');
    let problem = endpointUrlProblem(url, this.config.isProduction, allowPrivate);
    if (!problem && !allowPrivate) {
      const host = await resolvedHostProblem(new URL(url).hostname);
      if (host) problem = `host ${host}; only public addresses receive events`;
    }
    if (problem)
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: url', [
        { field: 'url', message: `url ${problem}` },
      ]);
  }
}
