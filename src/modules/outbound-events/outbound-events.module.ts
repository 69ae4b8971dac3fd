import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SECRET_BOX_PROVIDER } from '../../common/crypto/secret-box.provider';
import { DomainEvents } from '../../common/events/domain-events.service';
import { PaymentTransitionHooks } from '../payments/payment-transition.hooks';
import { PaymentsModule } from '../payments/payments.module';
import { OutboxDomainEventSink } from './domain-events.sink';
import { OutboundDeliveriesRepository } from './outbound-deliveries.repository';
import { OutboundDeliveryWorker } from './outbound-delivery.worker';
import { OUTBOUND_EVENTS_ENTITIES } from './outbound-events.entities';
import { OutboundEventsConfig } from './outbound-events.config';
import { OutboxService } from './outbox.service';
import { PaymentEventsListener } from './payment-events.listener';
import { WebhookEndpointsController } from './webhook-endpoints.controller';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEventsController } from './webhook-events.controller';
import { WebhookEventsService } from './webhook-events.service';
import { WebhookSenderService } from './webhook-sender.service';

// Signed outbound events to company systems (issue #8): an outbox written in the transaction of every
// payment/refund/transfer change, fanned out to subscribed endpoints, delivered by a worker on every
// replica (SKIP LOCKED claims with a lease), retried with backoff, dead-lettered, replayable by admins.
@Module({
  imports: [TypeOrmModule.forFeature(OUTBOUND_EVENTS_ENTITIES), PaymentsModule],
  controllers: [WebhookEndpointsController, WebhookEventsController],
  providers: [
    SECRET_BOX_PROVIDER,
    OutboundEventsConfig,
    OutboxService,
    PaymentEventsListener,
    OutboxDomainEventSink,
    OutboundDeliveriesRepository,
    WebhookSenderService,
    OutboundDeliveryWorker,
    WebhookEndpointsService,
    WebhookEventsService,
  ],
})
export class OutboundEventsModule implements OnModuleInit {
  constructor(
    private readonly hooks: PaymentTransitionHooks,
    private readonly domainEvents: DomainEvents,
    private readonly paymentEvents: PaymentEventsListener,
    private readonly sink: OutboxDomainEventSink,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this.paymentEvents);
    this.domainEvents.register(this.sink);
  }
}
