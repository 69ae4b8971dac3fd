import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfigService } from '../../config/app-config.service';
import { CheckScheduleService } from '../payments/check-schedule.service';
import { isFinal } from '../payments/payment-state-machine';
import { PaymentEventSource } from '../payments/payment-status.enum';
import type { ReconciliationQueue } from '../status/reconciliation-queue.interface';
import { isPastAgeLimit, nextCheckAfterUnchanged, POLLABLE_PAYMENT_STATUSES, ScheduleSettings } from '../status/utils/reconciliation-schedule.util';
import { TransferStateService } from './transfer-state.service';
import { TransferCheckOutcome, TransferStatusChecker } from './transfer-status-checker.service';
import type { TransferEntity } from './transfer.entity';
import { TransfersRepository } from './transfers.repository';

// UPDATE … RETURNING comes back from TypeORM's pg driver as [rows, count]; plain SELECTs as rows.
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}

// The poller's view of transfers still in flight (created, pending, unknown): claim due ones, ask the
// P2P status endpoint, apply, reschedule with the shared backoff, hand the old ones to a human.
@Injectable()
export class TransferReconciliationQueue implements ReconciliationQueue {
  readonly name = 'transfers';
  private readonly logger = new Logger(TransferReconciliationQueue.name);
  // the lease this replica stamped on each claimed transfer: a fencing token, so a replica whose claim
  // ran out (and was taken over) cannot overwrite the new owner's schedule
  private readonly leases = new Map<string, Date>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transfers: TransfersRepository,
    private readonly checker: TransferStatusChecker,
    private readonly state: TransferStateService,
    private readonly schedule: CheckScheduleService,
    private readonly config: AppConfigService,
  ) {}

  private get settings(): ScheduleSettings {
    return {
      backoffSeconds: this.schedule.backoffSeconds,
      authWindowMs: this.schedule.authWindowMs,
      maxAgeMs: this.config.get('POLLER_MAX_AGE_HOURS') * 3_600_000,
    };
  }

  async claimDue(limit: number, leaseMs: number): Promise<string[]> {
    // SKIP LOCKED + a lease stamped in the same statement: one replica per row at a time; a crashed
    // replica's lease simply runs out. Database clock, truncated to ms so it round-trips through JS.
    const result: unknown = await this.dataSource.query(
      `UPDATE transfers SET lease_until = date_trunc('milliseconds', now()) + $2 * interval '1 millisecond'
        WHERE id IN (
          SELECT id FROM transfers
           WHERE next_check_at <= now()
             AND (lease_until IS NULL OR lease_until <= now())
             AND status = ANY($3::text[])
           ORDER BY next_check_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING id, lease_until`,
      [limit, leaseMs, POLLABLE_PAYMENT_STATUSES],
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
      this.logger.warn({ transferId: id }, 'claim expired before the status check; left to the next claim');
      return 'error';
    }
    const transfer = await this.transfers.repo.findOne({ where: { id } });
    if (!transfer) return 'error';
    if (isFinal(transfer.status) || !POLLABLE_PAYMENT_STATUSES.includes(transfer.status)) {
      // settled since it was claimed
      await this.release(id, lease);
      return 'unchanged';
    }
    const now = new Date();
    let outcome: TransferCheckOutcome;
    try {
      outcome = await this.checker.check(transfer, PaymentEventSource.POLLER);
    } catch (err) {
      // the bank could not be asked (timeout, 5xx, auth): back off like an unchanged check
      this.logger.warn({ transferId: id, err: (err as Error).message }, 'transfer status check failed; rescheduled');
      await this.afterUnchanged(transfer, now, lease);
      return 'error';
    }
    if (outcome.kind === 'applied' && outcome.changed) {
      // the transition rescheduled it and released the lease
      await this.transfers.repo.update({ id }, { lastCheckedAt: now });
      return 'changed';
    }
    await this.afterUnchanged(outcome.transfer, now, lease);
    return outcome.kind === 'config_error' ? 'error' : 'unchanged';
  }

  async oldestDueLagSeconds(): Promise<number> {
    const [row] = rowsOf<{ lag: string | number | null }>(
      await this.dataSource.query(`SELECT EXTRACT(EPOCH FROM now() - min(next_check_at))::float8 AS lag FROM transfers WHERE next_check_at <= now()`),
    );
    return Math.max(0, Number(row?.lag ?? 0));
  }

  // No news: count the attempt and push next_check_at along the backoff, or, past the age limit, flag
  // the transfer for a human and stop polling it.
  private async afterUnchanged(t: TransferEntity, now: Date, lease: Date | null): Promise<void> {
    const attempts = t.checkAttempts + 1;
    const settings = this.settings;
    if (isPastAgeLimit(t, now, settings)) {
      const hours = Math.round(settings.maxAgeMs / 3_600_000);
      const reason = `still ${t.status} after ${attempts} status checks and the ${hours} h age limit`;
      await this.state.flagForAttention(t.id, reason, PaymentEventSource.POLLER, {
        nextCheckAt: null,
        leaseUntil: null,
        lastCheckedAt: now,
        checkAttempts: attempts,
      });
      return;
    }
    // fenced by our lease: a transition meanwhile (lease cleared) or a takeover (new lease) wins
    const next = nextCheckAfterUnchanged(t, attempts, now, settings);
    await this.dataSource.query(
      `UPDATE transfers SET check_attempts = check_attempts + 1, next_check_at = $2, last_checked_at = $3, lease_until = NULL
        WHERE id = $1${lease ? ' AND lease_until = $4' : ''}`,
      lease ? [t.id, next, now, lease] : [t.id, next, now],
    );
  }

  private async release(id: string, lease: Date | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE transfers SET lease_until = NULL WHERE id = $1${lease ? ' AND lease_until = $2' : ''}`,
      lease ? [id, lease] : [id],
    );
  }
}
