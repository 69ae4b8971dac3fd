import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DomainEvent, DomainEventSink } from '../../common/events/domain-events.service';
import { isKnownEventType } from './outbound-event-type.enum';
import { OutboxService } from './outbox.service';

// Refund, transfer and needs-attention events → outbox rows, inside the caller's transaction.
@Injectable()
export class OutboxDomainEventSink implements DomainEventSink {
  private readonly logger = new Logger(OutboxDomainEventSink.name);
  private readonly warned = new Set<string>();

  constructor(private readonly outbox: OutboxService) {}

  async record(manager: EntityManager, event: DomainEvent): Promise<void> {
    // an undocumented type is still stored (never fail the money change over a name), but only "*"
    // endpoints can receive it until it is added to OutboundEventType
    if (!isKnownEventType(event.type) && !this.warned.has(event.type)) {
      this.warned.add(event.type);
      this.logger.warn(
        { type: event.type },
        'domain event type is not in OutboundEventType; only "*" endpoints receive it',
      );
    }
    await this.outbox.record(manager, {
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      data: event.data,
    });
  }
}
