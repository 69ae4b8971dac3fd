import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
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

// Secrets are made by PostgreSQL (two v4 UUIDs: 244 bits from its strong random source) so they never travel
// as query parameters: TypeORM prints the parameters of a failing query to the console.
const NEW_SECRET_SQL = `'whsec_' || replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')`;

// Company endpoints, managed by admins. Secrets leave this service only in the create/rotate answers.
@Injectable()
export class WebhookEndpointsService {
  private readonly logger = new Logger(WebhookEndpointsService.name);

  constructor(
    @InjectRepository(OutboundWebhookEndpointEntity) private readonly repo: Repository<OutboundWebhookEndpointEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfigService,
  ) {}

  async create(dto: CreateWebhookEndpointDto): Promise<OutboundWebhookEndpointEntity> {
    await this.checkUrl(dto.url);
    const [row] = await this.dataSource.query(
      `INSERT INTO outbound_webhook_endpoints (url, description, event_types, enabled, secret)
       VALUES ($1, $2, $3, $4, ${NEW_SECRET_SQL}) RETURNING id`,
      [dto.url, dto.description ?? null, dto.eventTypes, dto.enabled ?? true],
    );
    this.logger.log({ endpointId: row.id, eventTypes: dto.eventTypes }, 'webhook endpoint created');
    return this.get(row.id);
  }

  list(): Promise<OutboundWebhookEndpointEntity[]> {
    return this.repo.find({ where: { deletedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<OutboundWebhookEndpointEntity> {
    const endpoint = await this.repo.findOne({ where: { id, deletedAt: IsNull() } });
    if (!endpoint) throw new AppException(ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, 'Webhook endpoint not found');
    return endpoint;
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
         secret = ${NEW_SECRET_SQL},
         updated_at = now()
       WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
      [id, graceHours],
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
