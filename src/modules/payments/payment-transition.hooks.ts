import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PaymentEntity } from './payment.entity';
import type { PaymentEventSource, PaymentStatus } from './payment-status.enum';

export interface PaymentTransition {
  payment: PaymentEntity;
  from: PaymentStatus;
  to: PaymentStatus;
  source: PaymentEventSource;
  reason?: string;
}

// Runs inside the transaction of the status change (e.g. the outbox of outbound events), so what it
// writes commits or rolls back with the change itself.
export interface PaymentTransitionListener {
  onPaymentTransition(manager: EntityManager, transition: PaymentTransition): Promise<void>;
}

@Injectable()
export class PaymentTransitionHooks {
  private readonly listeners: PaymentTransitionListener[] = [];

  register(listener: PaymentTransitionListener): void {
    this.listeners.push(listener);
  }

  async run(manager: EntityManager, transition: PaymentTransition): Promise<void> {
    for (const listener of this.listeners) await listener.onPaymentTransition(manager, transition);
  }
}
