import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PaymentEventEntity } from '../payments/payment-event.entity';
import type { PaymentEntity } from '../payments/payment.entity';
import { PaymentEventSource } from '../payments/payment-status.enum';

export interface AdminActionNote {
  // refund.requested, charge.requested, cancel.requested, sync.requested
  action: string;
  // API key id of the operator
  actor: string;
  reason: string | null;
  data?: Record<string, unknown>;
}

// Every admin action leaves a payment_events row (source admin, actor = API key id, reason) in the
// transaction that carries it out, so the payment's timeline is also its audit trail. A status it
// does not change is written as from = to.
@Injectable()
export class AdminAuditService {
  async note(
    manager: EntityManager,
    payment: Pick<PaymentEntity, 'id' | 'status'>,
    note: AdminActionNote,
  ): Promise<void> {
    await manager.getRepository(PaymentEventEntity).insert({
      paymentId: payment.id,
      fromStatus: payment.status,
      toStatus: payment.status,
      source: PaymentEventSource.ADMIN,
      reason: `${note.action}${note.reason ? `: ${note.reason}` : ''}`.slice(0, 1000),
      actor: note.actor,
      data: { action: note.action, ...note.data },
    });
  }
}
