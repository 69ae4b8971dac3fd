import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfigService } from '../../config/app-config.service';
import { CheckScheduleService } from '../payments/check-schedule.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentStatusChecker, StatusCheckOutcome } from '../payments/payment-status-checker.service';
import { PaymentEventSource } from '../payments/payment-status.enum';
import type { ReconciliationQueue } from './reconciliation-queue.interface';
import { ReconciliationRegistry } from './reconciliation-registry.service';
import {
  isPastAgeLimit,
  nextCheckAfterUnchanged,
  POLLABLE_PAYMENT_STATUSES,
  ScheduleSettings,
} from './utils/reconciliation-schedule.util';

// pg answers UPDATE ... RETURNING through TypeORM as [rows, count]; SELECTs as rows
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

// The `payments` queue of the reconciliation poller: payments still in flight (or authorised past
// their hold) are re-checked with ePay on the backoff stored per payment (next_check_at).
@Injectable()
export class PaymentsReconciliationQueue implements ReconciliationQueue, OnModuleInit {
  readonly name = 'payments';
  private readonly logger = new Logger(PaymentsReconciliationQueue.name);
  // the lease this replica set on each claimed payment: a fencing token, so a replica whose lease
  // ran out (and was taken over) cannot overwrite the new owner's schedule
  private readonly leases = new Map<string, Date>();
  private readonly settings: ScheduleSettings;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly checker: PaymentStatusChecker,
    private readonly registry: ReconciliationRegistry,
    schedule: CheckScheduleService,
    config: AppConfigService,
  ) {
    this.settings = {
      backoffSeconds: schedule.backoffSeconds,
      authWindowMs: schedule.authWindowMs,
      maxAgeMs: config.get('POLLER_MAX_AGE_HOURS') * 3_600_000,
    };
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  // Only rows still to be looked at have next_check_at (a transition to a status with nothing to learn
  // clears it), so the claim walks the partial index on next_check_at in order and never sorts: a
  // status filter here made the planner sort every due row once the table reached a million rows.
  // reconcile() re-reads the status anyway.
  // One statement: the SKIP LOCKED sub-select takes at most `limit` rows no other replica is claiming
  // right now, and the UPDATE stamps the lease before the row locks are released (a locking read
  // without LIMIT once locked every pending row). Times come from the database clock, the one clock
  // all replicas share; the lease is truncated to milliseconds so it round-trips exactly through JS.
  async claimDue(limit: number, leaseMs: number): Promise<string[]> {
    const result = await this.dataSource.query(
      `UPDATE payments SET lease_until = date_trunc('milliseconds', now()) + $2 * interval '1 millisecond'
        WHERE id IN (
          SELECT id FROM payments
           WHERE next_check_at <= now()
             AND (lease_until IS NULL OR lease_until <= now())
           ORDER BY next_check_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING id, lease_until`,
      [limit, leaseMs],
    );
    const rows = rowsOf<{ id: string; lease_until: Date }>(result);
    for (const row of rows) this.leases.set(row.id, new Date(row.lease_until));
    return rows.map((r) => r.id);
  }

  async reconcile(id: string): Promise<'changed' | 'unchanged' | 'error'> {
    const lease = this.leases.get(id) ?? null;
    this.leases.delete(id);
    if (lease && lease.getTime() <= Date.now()) {
      // our claim ran out before we got here: another replica may own it now
      this.logger.warn({ paymentId: id }, 'claim expired before the status check; left to the next claim');
      return 'error';
    }
    const payment = await this.dataSource.getRepository(PaymentEntity).findOne({ where: { id } });
    if (!payment) return 'error';
    if (!POLLABLE_PAYMENT_STATUSES.includes(payment.status)) {
      // settled since it was claimed (a callback or an API call got there first)
      await this.release(id, lease);
      return 'unchanged';
    }

    let outcome: StatusCheckOutcome;
    try {
      outcome = await this.checker.check(payment, PaymentEventSource.POLLER);
    } catch (err) {
      // the bank could not be asked (timeout, 5xx, auth): back off like an unchanged check
      this.logger.warn({ paymentId: id, err: (err as Error).message }, 'status check failed');
      await this.afterUnchanged(payment, lease);
      return 'error';
    }

    if (outcome.kind === 'applied' && outcome.changed) {
      // the transition already rescheduled the payment and dropped the lease
      await this.dataSource.query(`UPDATE payments SET last_checked_at = now() WHERE id = $1`, [id]);
      return 'changed';
    }
    await this.afterUnchanged(outcome.payment, lease);
    return outcome.kind === 'config_error' ? 'error' : 'unchanged';
  }

  async oldestDueLagSeconds(): Promise<number> {
    const rows = rowsOf<{ lag: number | string | null }>(
      await this.dataSource.query(
        `SELECT EXTRACT(EPOCH FROM now() - min(next_check_at))::float8 AS lag FROM payments WHERE next_check_at <= now()`,
      ),
    );
    const lag = Number(rows[0]?.lag ?? 0);
    return Number.isFinite(lag) && lag > 0 ? lag : 0;
  }

  // No news: count the attempt and push next_check_at along the backoff, or, past the age limit,
  // flag the payment for a human and stop polling it.
  private async afterUnchanged(payment: PaymentEntity, lease: Date | null): Promise<void> {
    const now = new Date();
    const attempts = payment.checkAttempts + 1;
    if (isPastAgeLimit(payment, now, this.settings)) {
      const hours = Math.round(this.settings.maxAgeMs / 3_600_000);
      await this.checker.flagForAttention(
        payment.id,
        `still ${payment.status} after ${attempts} status checks and the ${hours} h age limit`,
        PaymentEventSource.POLLER,
        { extra: { nextCheckAt: null, leaseUntil: null, lastCheckedAt: now, checkAttempts: attempts } },
      );
      return;
    }
    const next = nextCheckAfterUnchanged(payment, attempts, now, this.settings);
    // fenced by our lease: a transition in the meantime (lease cleared) or a takeover (new lease) wins
    await this.dataSource.query(
      `UPDATE payments SET check_attempts = check_attempts + 1, next_check_at = $2, last_checked_at = $3, lease_until = NULL
        WHERE id = $1${lease ? ' AND lease_until = $4' : ''}`,
      lease ? [payment.id, next, now, lease] : [payment.id, next, now],
    );
  }

  private async release(id: string, lease: Date | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE payments SET lease_until = NULL WHERE id = $1${lease ? ' AND lease_until = $2' : ''}`,
      lease ? [id, lease] : [id],
    );
  }
}
