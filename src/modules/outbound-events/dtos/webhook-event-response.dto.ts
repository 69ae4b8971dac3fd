import { ApiProperty } from '@nestjs/swagger';
import { DeliveryStatus, OutboundDeliveryEntity } from '../outbound-delivery.entity';
import type { OutboundDeliveryAttemptEntity } from '../outbound-delivery-attempt.entity';
import type { OutboundEventEntity } from '../outbound-event.entity';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export class WebhookDeliveryResponseDto {
  id: string;
  eventId: string;
  endpointId: string;
  @ApiProperty({ enum: DeliveryStatus })
  status: DeliveryStatus;
  // attempts since creation or the last replay (drives the retry schedule)
  attemptCount: number;
  totalAttempts: number;
  replayCount: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  deadAt: string | null;
  createdAt: string;

  static from(d: OutboundDeliveryEntity): WebhookDeliveryResponseDto {
    const open = d.status === DeliveryStatus.PENDING || d.status === DeliveryStatus.FAILED;
    return {
      id: d.id,
      eventId: d.eventId,
      endpointId: d.endpointId,
      status: d.status,
      attemptCount: d.attemptCount,
      totalAttempts: d.totalAttempts,
      replayCount: d.replayCount,
      nextAttemptAt: open ? iso(d.nextAttemptAt) : null,
      lastAttemptAt: iso(d.lastAttemptAt),
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      deliveredAt: iso(d.deliveredAt),
      deadAt: iso(d.deadAt),
      createdAt: d.createdAt.toISOString(),
    };
  }
}

export class WebhookDeliveryWithEventResponseDto extends WebhookDeliveryResponseDto {
  eventType: string;
}

export class WebhookEventResponseDto {
  // the id receivers dedupe on
  id: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  // position of this event in its stream (a payment with its refunds, or a transfer)
  sequence: number;
  created: string;
  // what was sent as "data"
  data: Record<string, unknown>;
  deliveries: WebhookDeliveryResponseDto[];

  static from(e: OutboundEventEntity, deliveries: OutboundDeliveryEntity[]): WebhookEventResponseDto {
    return {
      id: e.id,
      type: e.type,
      aggregateType: e.aggregateType,
      aggregateId: e.aggregateId,
      sequence: e.streamSeq,
      created: e.createdAt.toISOString(),
      data: e.data,
      deliveries: deliveries.map(WebhookDeliveryResponseDto.from),
    };
  }
}

export class WebhookEventPageDto {
  items: WebhookEventResponseDto[];
  // pass as ?cursor= for the next (older) page; null on the last page
  nextCursor: string | null;
}

export class WebhookDeliveryPageDto {
  items: WebhookDeliveryWithEventResponseDto[];
  nextCursor: string | null;
}

export class WebhookAttemptResponseDto {
  id: string;
  deliveryId: string;
  endpointId: string;
  attempt: number;
  worker: string;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  success: boolean;
  // at most 1 KB of the receiver's answer
  responseExcerpt: string | null;
  error: string | null;

  static from(a: OutboundDeliveryAttemptEntity): WebhookAttemptResponseDto {
    return {
      id: a.id,
      deliveryId: a.deliveryId,
      endpointId: a.endpointId,
      attempt: a.attempt,
      worker: a.worker,
      startedAt: a.startedAt.toISOString(),
      durationMs: a.durationMs,
      statusCode: a.statusCode,
      success: a.success,
      responseExcerpt: a.responseExcerpt,
      error: a.error,
    };
  }
}
