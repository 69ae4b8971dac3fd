import { Global, Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type DomainAggregate = 'payment' | 'refund' | 'transfer';

export interface DomainEvent {
  // e.g. refund.succeeded, transfer.failed (payment events come from PaymentTransitionHooks)
  type: string;
  aggregateType: DomainAggregate;
  aggregateId: string;
  // the public representation of the aggregate after the change
  data: Record<string, unknown>;
}

// Receives events inside the transaction that caused them (the outbound-events outbox registers one).
export interface DomainEventSink {
  record(manager: EntityManager, event: DomainEvent): Promise<void>;
}

// Modules that change refunds or transfers call record() with their transaction's EntityManager, so an
// event is stored if and only if the change commits.
@Injectable()
export class DomainEvents {
  private readonly sinks: DomainEventSink[] = [];

  register(sink: DomainEventSink): void {
    this.sinks.push(sink);
  }

  async record(manager: EntityManager, event: DomainEvent): Promise<void> {
    for (const sink of this.sinks) await sink.record(manager, event);
  }
}

@Global()
@Module({ providers: [DomainEvents], exports: [DomainEvents] })
export class DomainEventsModule {}
