import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfigService } from '../../config/app-config.service';
import { PaymentResponseDto } from '../payments/dtos/payment-response.dto';
import type { PaymentTransition, PaymentTransitionListener } from '../payments/payment-transition.hooks';
import { OutboxService } from './outbox.service';
import { eventTypeForPaymentTransition } from './utils/payment-event-type.util';

// Payment status changes → outbox rows, inside the transition's transaction. The data is the same public
// representation GET /v1/payments/:id returns (masked card only).
@Injectable()
export class PaymentEventsListener implements PaymentTransitionListener {
  constructor(
    private readonly outbox: OutboxService,
    private readonly config: AppConfigService,
  ) {}

  async onPaymentTransition(manager: EntityManager, transition: PaymentTransition): Promise<void> {
    const type = eventTypeForPaymentTransition(transition.from, transition.to);
    if (!type) return;
    const data = PaymentResponseDto.from(transition.payment, this.config.publicBaseUrl);
    await this.outbox.record(manager, {
      type,
      aggregateType: 'payment',
      aggregateId: transition.payment.id,
      data: data as unknown as Record<string, unknown>,
    });
  }
}
