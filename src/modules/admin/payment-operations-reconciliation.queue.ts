import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CheckScheduleService } from '../payments/check-schedule.service';
import { PaymentEventSource } from '../payments/payment-status.enum';
import type { ReconciliationQueue } from '../status/reconciliation-queue.interface';
import { ReconciliationRegistry } from '../status/reconciliation-registry.service';
import { PaymentOperationEntity } from './payment-operation.entity';
import { PaymentOperationsService } from './payment-operations.service';
import { OPEN_REFUND_STATUSES } from './refund-status.enum';
import { LeasedClaims } from '../status/utils/leased-claims';

// The `payment-operations` queue: admin charges/cancels whose reply was lost. Each look is a status
// check (read only); the operation settles once the bank shows CHARGE/CANCEL, or still AUTH after the
// call can no longer be in flight. Same claim/lease rules as the other queues.
@Injectable()
export class PaymentOperationsReconciliationQueue implements ReconciliationQueue, OnModuleInit {
  readonly name = 'payment-operations';
  private readonly logger = new Logger(PaymentOperationsReconciliationQueue.name);
  private readonly claims: LeasedClaims;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly operations: PaymentOperationsService,
    private readonly schedule: CheckScheduleService,
    private readonly registry: ReconciliationRegistry,
  ) {
    this.claims = new LeasedClaims(dataSource, 'payment_operations', OPEN_REFUND_STATUSES);
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  claimDue(limit: number, leaseMs: number): Promise<string[]> {
    return this.claims.claim(limit, leaseMs);
  }

  async reconcile(id: string): Promise<'changed' | 'unchanged' | 'error'> {
    const { lease, expired } = this.claims.take(id);
    if (expired) {
      this.logger.warn(
        { operationId: id },
        'claim expired before the operation was reconciled; left to the next claim',
      );
      return 'error';
    }
    const before = await this.dataSource.getRepository(PaymentOperationEntity).findOne({ where: { id } });
    if (!before) return 'error';
    if (!OPEN_REFUND_STATUSES.includes(before.status)) return 'unchanged';
    const after = await this.operations.settleFromStatus(id, PaymentEventSource.POLLER);
    if (!OPEN_REFUND_STATUSES.includes(after.status)) return 'changed';

    const now = new Date();
    const attempts = before.checkAttempts + 1;
    const overdue = now.getTime() - before.createdAt.getTime() > this.operations.attentionAfterMs;
    const hours = Math.round(this.operations.attentionAfterMs / 3_600_000);
    await this.dataSource.query(
      `UPDATE payment_operations
          SET check_attempts = $2, next_check_at = $3, last_checked_at = $4, lease_until = NULL, updated_at = $4,
              needs_attention = needs_attention OR $5,
              attention_reason = CASE WHEN $5 AND NOT needs_attention THEN $6 ELSE attention_reason END
        WHERE id = $1 AND status = ANY($7::text[]) AND ($8::timestamptz IS NULL OR lease_until = $8)`,
      [
        id,
        attempts,
        new Date(now.getTime() + this.schedule.delayMs(attempts)),
        now,
        overdue,
        `${before.kind} still open after ${hours} h`,
        OPEN_REFUND_STATUSES,
        lease,
      ],
    );
    return 'unchanged';
  }

  oldestDueLagSeconds(): Promise<number> {
    return this.claims.oldestDueLagSeconds();
  }
}
