import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PaymentStateService } from '../payments/payment-state.service';
import { PaymentStatusChecker } from '../payments/payment-status-checker.service';
import { PaymentEventSource, PaymentStatus } from '../payments/payment-status.enum';
import { PaymentsRepository } from '../payments/payments.repository';
import type { ReconciliationQueue } from '../status/reconciliation-queue.interface';
import { WidgetSessionEntity } from './widget-session.entity';

// how soon to look again when the bank's answer settles nothing yet (in progress, retry, errors)
const RECHECK_MS = 5 * 60_000;

// UPDATE … RETURNING comes back from TypeORM's pg driver as [rows, count]; plain SELECTs as rows.
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}

// Widget payments wait (pending) while the customer is in the widget, and "invoice not found" then
// only means "not paid yet", so the payments queue keeps waiting. Once the widget token has expired
// (plus a grace period) nobody can pay it any more: this queue asks the bank one last time and, if it
// still has nothing on the invoice, fails the payment as expired. Anything the bank does know is applied
// through the shared status checker.
@Injectable()
export class WidgetExpiryQueue implements ReconciliationQueue {
  readonly name = 'widget-expiry';
  private readonly logger = new Logger(WidgetExpiryQueue.name);
  // the lease this replica stamped on each claimed session: a fencing token (as in the payments queue)
  private readonly leases = new Map<string, Date>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly checker: PaymentStatusChecker,
    private readonly state: PaymentStateService,
  ) {}

  private get sessions() {
    return this.dataSource.getRepository(WidgetSessionEntity);
  }

  async claimDue(limit: number, leaseMs: number): Promise<string[]> {
    const result: unknown = await this.dataSource.query(
      `UPDATE widget_sessions SET lease_until = date_trunc('milliseconds', now()) + $2 * interval '1 millisecond'
        WHERE payment_id IN (
          SELECT payment_id FROM widget_sessions
           WHERE expiry_check_at <= now() AND (lease_until IS NULL OR lease_until <= now())
           ORDER BY expiry_check_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING payment_id AS id, lease_until`,
      [limit, leaseMs],
    );
    const rows = rowsOf<{ id: string; lease_until: Date }>(result);
    for (const row of rows) this.leases.set(row.id, new Date(row.lease_until));
    return rows.map((r) => r.id);
  }

  async reconcile(paymentId: string): Promise<'changed' | 'unchanged' | 'error'> {
    const lease = this.leases.get(paymentId) ?? null;
    this.leases.delete(paymentId);
    if (lease && lease.getTime() <= Date.now()) return 'error';
    const session = await this.sessions.findOneBy({ paymentId });
    if (!session) return 'unchanged';
    const payment = await this.payments.get(paymentId);
    const done = () => this.sessions.update({ paymentId }, { expiryCheckAt: null, leaseUntil: null });
    if (!isWaiting(payment.status)) {
      await done();
      return 'unchanged';
    }
    try {
      const outcome = await this.checker.check(payment, PaymentEventSource.POLLER);
      if (outcome.kind === 'applied') {
        if (isWaiting(outcome.payment.status)) await this.later(paymentId, lease);
        else await done();
        return outcome.changed ? 'changed' : 'unchanged';
      }
      if (outcome.kind === 'not_final_yet' && outcome.resultCode === 102) {
        // the token has expired and the bank has no attempt on the invoice: it was never paid
        const result = await this.state.transition(paymentId, {
          to: PaymentStatus.FAILED,
          source: PaymentEventSource.POLLER,
          reason: 'widget token expired; the bank has no payment on the invoice',
          patch: {
            failureCode: 'widget_expired',
            failureMessage: 'The customer did not pay before the payment form expired',
          },
        });
        await done();
        return result.changed ? 'changed' : 'unchanged';
      }
      await this.later(paymentId, lease);
      return 'unchanged';
    } catch (err) {
      this.logger.warn({ paymentId, err: (err as Error).message }, 'widget expiry check failed; rescheduled');
      await this.later(paymentId, lease);
      return 'error';
    }
  }

  async oldestDueLagSeconds(): Promise<number> {
    const [row] = rowsOf<{ lag: string | number | null }>(
      await this.dataSource.query(
        `SELECT EXTRACT(EPOCH FROM now() - min(expiry_check_at))::float8 AS lag FROM widget_sessions WHERE expiry_check_at <= now()`,
      ),
    );
    return Math.max(0, Number(row?.lag ?? 0));
  }

  // fenced by our lease: a takeover by another replica (new lease) wins
  private later(paymentId: string, lease: Date | null) {
    return this.dataSource.query(
      `UPDATE widget_sessions SET expiry_check_at = $2, lease_until = NULL, updated_at = now()
        WHERE payment_id = $1${lease ? ' AND lease_until = $3' : ''}`,
      lease ? [paymentId, new Date(Date.now() + RECHECK_MS), lease] : [paymentId, new Date(Date.now() + RECHECK_MS)],
    );
  }
}

function isWaiting(status: PaymentStatus): boolean {
  return status === PaymentStatus.CREATED || status === PaymentStatus.PENDING;
}
