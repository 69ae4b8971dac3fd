import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfigService } from '../../config/app-config.service';
import { CheckScheduleService } from '../payments/check-schedule.service';
import { isFinal } from '../payments/payment-state-machine';
import { PaymentEventSource } from '../payments/payment-status.enum';
import type { ReconciliationQueue } from '../status/reconciliation-queue.interface';
import {
  isPastAgeLimit,
  nextCheckAfterUnchanged,
  POLLABLE_PAYMENT_STATUSES,
  ScheduleSettings,
} from '../status/utils/reconciliation-schedule.util';
import { TransferStateService } from './transfer-state.service';
import { TransferCheckOutcome, TransferStatusChecker } from './transfer-status-checker.service';
import type { TransferEntity } from './transfer.entity';
import { TransfersRepository } from './transfers.repository';
import { LeasedClaims } from '../status/utils/leased-claims';

// The poller's view of transfers still in flight (created, pending, unknown): claim due ones, ask the
// P2P status endpoint, apply, reschedule with the shared backoff, hand the old ones to a human.
@Injectable()
export class TransferReconciliationQueue implements ReconciliationQueue {
  readonly name = 'transfers';
  private readonly logger = new Logger(TransferReconciliationQueue.name);
  private readonly claims: LeasedClaims;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transfers: TransfersRepository,
    private readonly checker: TransferStatusChecker,
    private readonly state: TransferStateService,
    private readonly schedule: CheckScheduleService,
    private readonly config: AppConfigService,
  ) {
    this.claims = new LeasedClaims(dataSource, 'transfers', POLLABLE_PAYMENT_STATUSES);
  }

  private get settings(): ScheduleSettings {
    return {
      backoffSeconds: this.schedule.backoffSeconds,
      authWindowMs: this.schedule.authWindowMs,
      maxAgeMs: this.config.get('POLLER_MAX_AGE_HOURS') * 3_600_000,
    };
  }

  claimDue(limit: number, leaseMs: number): Promise<string[]> {
    return this.claims.claim(limit, leaseMs);
  }

  async reconcile(id: string): Promise<'changed' | 'unchanged' | 'error'> {
    const { lease, expired } = this.claims.take(id);
    if (expired) {
      // our claim ran out before we got here: another replica may own it now
      this.logger.warn({ transferId: id }, 'claim expired before the status check; left to the next claim');
      return 'error';
    }
    const transfer = await this.transfers.repo.findOne({ where: { id } });
    if (!transfer) return 'error';
    if (isFinal(transfer.status) || !POLLABLE_PAYMENT_STATUSES.includes(transfer.status)) {
      // settled since it was claimed
      await this.claims.release(id, lease);
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

  oldestDueLagSeconds(): Promise<number> {
    return this.claims.oldestDueLagSeconds();
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
        WHERE id = $1${this.claims.fence(lease, 4)}`,
      lease ? [t.id, next, now, lease] : [t.id, next, now],
    );
  }
}
