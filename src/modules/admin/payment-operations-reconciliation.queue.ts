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

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

// The `payment-operations` queue: admin charges/cancels whose reply was lost. Each look is a status
// check (read only); the operation settles once the bank shows CHARGE/CANCEL, or still AUTH after the
// call can no longer be in flight. Same claim/lease rules as the other queues.
@Injectable()
export class PaymentOperationsReconciliationQueue implements ReconciliationQueue, OnModuleInit {
  readonly name = 'payment-operations';
  private readonly logger = new Logger(PaymentOperationsReconciliationQueue.name);
  private readonly leases = new Map<string, Date>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly operations: PaymentOperationsService,
    private readonly schedule: CheckScheduleService,
    private readonly registry: ReconciliationRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async claimDue(limit: number, leaseMs: number): Promise<string[]> {
    const result = await this.dataSource.query(
      `UPDATE payment_operations SET lease_until = date_trunc('milliseconds', now()) + $2 * interval '1 millisecond'
        WHERE id IN (
          SELECT id FROM payment_operations
           WHERE next_check_at <= now()
             AND (lease_until IS NULL OR lease_until <= now())
             AND status = ANY($3::text[])
           ORDER BY next_check_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING id, lease_until`,
      [limit, leaseMs, OPEN_REFUND_STATUSES],
    );
    const rows = rowsOf<{ id: string; lease_until: Date }>(result);
    for (const row of rows) this.leases.set(row.id, new Date(row.lease_until));
    return rows.map((r) => r.id);
  }

  async reconcile(id: string): Promise<'changed' | 'unchanged' | 'error'> {
    const lease = this.leases.get(id) ?? null;
    this.leases.delete(id);
    if (lease && lease.getTime() <= Date.now()) {
      this.logger.warn({ operationId: id }, 'claim expired before the operation was reconciled; left to the next claim');
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

  async oldestDueLagSeconds(): Promise<number> {
    const rows = rowsOf<{ lag: number | string | null }>(
      await this.dataSource.query(
        `SELECT EXTRACT(EPOCH FROM now() - min(next_check_at))::float8 AS lag
           FROM payment_operations WHERE next_check_at <= now() AND status = ANY($1::text[])`,
        [OPEN_REFUND_STATUSES],
      ),
    );
    const lag = Number(rows[0]?.lag ?? 0);
    return Number.isFinite(lag) && lag > 0 ? lag : 0;
  }
}
