import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import type { ListDeliveriesQueryDto, ListWebhookEventsQueryDto } from './dtos/list-webhook-events-query.dto';
import type { ReplayWebhookEventsDto } from './dtos/replay-webhook-events.dto';
import { OutboundDeliveryAttemptEntity } from './outbound-delivery-attempt.entity';
import { OutboundDeliveryEntity } from './outbound-delivery.entity';
import { OutboundEventEntity } from './outbound-event.entity';
import { WebhookEndpointsService } from './webhook-endpoints.service';

const DEFAULT_PAGE = 50;

// Puts a delivery back in the queue, due now, with a fresh retry schedule. A delivery being attempted right
// now is left alone (its attempt settles it). Replays are explicit re-sends: receivers dedupe on the
// event id, and a replayed event is again "open" for the ordering check, so later events of its stream
// to that endpoint wait until it is delivered or dead.
const REQUEUE_SET = `
  status = 'pending', attempt_count = 0, replay_count = d.replay_count + 1, next_attempt_at = now(),
  lease_until = NULL, claim_token = NULL, dead_at = NULL, updated_at = now()`;

const REPLAY_ONE_SQL = `
  INSERT INTO outbound_deliveries AS d (event_id, endpoint_id, stream_key, stream_seq, event_created_at, status, next_attempt_at)
  SELECT e.id, w.id, e.stream_key, e.stream_seq, e.created_at, 'pending', now()
  FROM outbound_events e JOIN outbound_webhook_endpoints w ON w.deleted_at IS NULL
  WHERE e.id = $1 AND (
    ($2::uuid IS NOT NULL AND w.id = $2::uuid) OR
    ($2::uuid IS NULL AND (
      EXISTS (SELECT 1 FROM outbound_deliveries x WHERE x.event_id = e.id AND x.endpoint_id = w.id)
      OR (w.enabled AND (e.type = ANY (w.event_types) OR '*' = ANY (w.event_types))))))
  ON CONFLICT (event_id, endpoint_id) DO UPDATE SET ${REQUEUE_SET}
  WHERE d.lease_until IS NULL OR d.lease_until < now()
  RETURNING d.id`;

const REPLAY_RANGE_SQL = `
  UPDATE outbound_deliveries d SET ${REQUEUE_SET}
  FROM outbound_events e, outbound_webhook_endpoints w
  WHERE e.id = d.event_id AND w.id = d.endpoint_id AND w.deleted_at IS NULL
    AND d.status = ANY ($1::text[])
    AND d.event_created_at >= $2 AND d.event_created_at < $3
    AND (d.lease_until IS NULL OR d.lease_until < now())
    AND ($4::uuid IS NULL OR d.endpoint_id = $4::uuid)
    AND ($5::text IS NULL OR e.type = $5::text)
  RETURNING d.id`;

// Investigation and replay of outbound events (admin API).
@Injectable()
export class WebhookEventsService {
  private readonly logger = new Logger(WebhookEventsService.name);

  constructor(
    @InjectRepository(OutboundEventEntity) private readonly events: Repository<OutboundEventEntity>,
    @InjectRepository(OutboundDeliveryEntity) private readonly deliveries: Repository<OutboundDeliveryEntity>,
    @InjectRepository(OutboundDeliveryAttemptEntity)
    private readonly attempts: Repository<OutboundDeliveryAttemptEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly endpoints: WebhookEndpointsService,
  ) {}

  async list(
    q: ListWebhookEventsQueryDto,
  ): Promise<{ events: OutboundEventEntity[]; deliveries: OutboundDeliveryEntity[]; nextCursor: string | null }> {
    const limit = q.limit ?? DEFAULT_PAGE;
    const qb = this.events
      .createQueryBuilder('e')
      .orderBy('e.createdAt', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit + 1);
    if (q.type) qb.andWhere('e.type = :type', { type: q.type });
    if (q.aggregateId) qb.andWhere('e.aggregate_id = :aggregateId', { aggregateId: q.aggregateId });
    if (q.from) qb.andWhere('e.created_at >= :from', { from: new Date(q.from) });
    if (q.to) qb.andWhere('e.created_at < :to', { to: new Date(q.to) });
    if (q.status || q.endpointId) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM outbound_deliveries d WHERE d.event_id = e.id
           AND (CAST(:status AS text) IS NULL OR d.status = :status) AND (CAST(:endpointId AS uuid) IS NULL OR d.endpoint_id = :endpointId))`,
        { status: q.status ?? null, endpointId: q.endpointId ?? null },
      );
    }
    if (q.cursor) {
      await this.checkCursor(q.cursor, 'outbound_events');
      qb.andWhere('(e.created_at, e.id) < (SELECT c.created_at, c.id FROM outbound_events c WHERE c.id = :cursor)', {
        cursor: q.cursor,
      });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    const deliveries = page.length
      ? await this.deliveries.find({ where: { eventId: In(page.map((e) => e.id)) }, order: { createdAt: 'ASC' } })
      : [];
    return { events: page, deliveries, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
  }

  async get(id: string): Promise<{ event: OutboundEventEntity; deliveries: OutboundDeliveryEntity[] }> {
    const event = await this.events.findOne({ where: { id } });
    if (!event) throw new AppException(ErrorCode.WEBHOOK_EVENT_NOT_FOUND, 'Webhook event not found');
    const deliveries = await this.deliveries.find({ where: { eventId: id }, order: { createdAt: 'ASC' } });
    return { event, deliveries };
  }

  async attemptsOf(eventId: string): Promise<OutboundDeliveryAttemptEntity[]> {
    await this.get(eventId);
    return this.attempts.find({ where: { eventId }, order: { createdAt: 'ASC', attempt: 'ASC' } });
  }

  async deliveriesOf(
    endpointId: string,
    q: ListDeliveriesQueryDto,
  ): Promise<{ items: (OutboundDeliveryEntity & { eventType: string })[]; nextCursor: string | null }> {
    await this.endpoints.get(endpointId);
    const limit = q.limit ?? DEFAULT_PAGE;
    const qb = this.deliveries
      .createQueryBuilder('d')
      .where('d.endpoint_id = :endpointId', { endpointId })
      .orderBy('d.createdAt', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(limit + 1);
    if (q.status) qb.andWhere('d.status = :status', { status: q.status });
    if (q.cursor) {
      await this.checkCursor(q.cursor, 'outbound_deliveries');
      qb.andWhere(
        '(d.created_at, d.id) < (SELECT c.created_at, c.id FROM outbound_deliveries c WHERE c.id = :cursor)',
        { cursor: q.cursor },
      );
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    const types = page.length
      ? new Map(
          (
            await this.events.find({ select: { id: true, type: true }, where: { id: In(page.map((d) => d.eventId)) } })
          ).map((e) => [e.id, e.type]),
        )
      : new Map<string, string>();
    return {
      items: page.map((d) => Object.assign(d, { eventType: types.get(d.eventId) ?? '' })),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  async replayOne(eventId: string, endpointId?: string): Promise<number> {
    await this.get(eventId);
    if (endpointId) await this.endpoints.get(endpointId);
    const rows: unknown[] = await this.dataSource.query(REPLAY_ONE_SQL, [eventId, endpointId ?? null]);
    this.logger.log({ eventId, endpointId, replayed: rows.length }, 'webhook event replayed');
    return rows.length;
  }

  async replayRange(dto: ReplayWebhookEventsDto): Promise<number> {
    const from = new Date(dto.from);
    const to = new Date(dto.to);
    if (!(from < to)) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: to', [
        { field: 'to', message: 'to must be after from' },
      ]);
    }
    if (dto.endpointId) await this.endpoints.get(dto.endpointId);
    const statuses = dto.status ? [dto.status] : ['dead', 'failed'];
    const [rows] = (await this.dataSource.query(REPLAY_RANGE_SQL, [
      statuses,
      from,
      to,
      dto.endpointId ?? null,
      dto.type ?? null,
    ])) as [unknown[], number];
    this.logger.log(
      { from: dto.from, to: dto.to, statuses, endpointId: dto.endpointId, type: dto.type, replayed: rows.length },
      'webhook events replayed',
    );
    return rows.length;
  }

  private async checkCursor(cursor: string, table: 'outbound_events' | 'outbound_deliveries'): Promise<void> {
    const valid =
      /^[0-9a-f-]{36}$/i.test(cursor) &&
      (await this.dataSource.query(`SELECT 1 FROM ${table} WHERE id = $1`, [cursor])).length > 0;
    if (!valid)
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: cursor', [
        { field: 'cursor', message: 'cursor is not a nextCursor of this list' },
      ]);
  }
}
