import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfigService } from '../../config/app-config.service';
import { CheckScheduleService } from '../payments/check-schedule.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentStatusChecker, StatusCheckOutcome } from '../payments/payment-status-checker.service';
import { PaymentEventSource, PaymentStatus } from '../payments/payment-status.enum';
import {
  NOT_FOUND_FAILURE_CODE,
  NOT_FOUND_RECHECK_FOR_MS,
  slowestDelayMs,
} from '../payments/utils/check-schedule.util';
import type { ReconciliationQueue } from './reconciliation-queue.interface';
import { ReconciliationRegistry } from './reconciliation-registry.service';
import { LeasedClaims } from './utils/leased-claims';
import {
  isPastAgeLimit,
  nextCheckAfterUnchanged,
  POLLABLE_PAYMENT_STATUSES,
  ScheduleSettings,
} from './utils/reconciliation-schedule.util';

function isNotFoundFailure(p: PaymentEntity): boolean {
  return p.status === PaymentStatus.FAILED && p.failureCode === NOT_FOUND_FAILURE_CODE;
}

// The `payments` queue of the reconciliation poller: payments still in flight (or authorised past
// their hold) are re-checked with ePay on the backoff stored per payment (next_check_at).
@Injectable()
export class PaymentsReconciliationQueue implements ReconciliationQueue, OnModuleInit {
  readonly name = 'payments';
  private readonly logger = new Logger(PaymentsReconciliationQueue.name);
  // a replica whose lease ran out (and was taken over) cannot overwrite the new owner's schedule
  private readonly claims: LeasedClaims;
  private readonly settings: ScheduleSettings;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly checker: PaymentStatusChecker,
    private readonly registry: ReconciliationRegistry,
    schedule: CheckScheduleService,
    config: AppConfigService,
  ) {
    // no status filter: only rows still to be looked at have next_check_at (a transition to a status
    // with nothing to learn clears it), so the claim walks the partial index in order and never sorts;
    // with a status filter the planner sorted every due row once the table reached a million rows
    this.claims = new LeasedClaims(dataSource, 'payments');
    this.settings = {
      backoffSeconds: schedule.backoffSeconds,
      authWindowMs: schedule.authWindowMs,
      maxAgeMs: config.get('POLLER_MAX_AGE_HOURS') * 3_600_000,
    };
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
      // our claim ran out before we got here: another replica may own it now
      this.logger.warn({ paymentId: id }, 'claim expired before the status check; left to the next claim');
      return 'error';
    }
    const payment = await this.dataSource.getRepository(PaymentEntity).findOne({ where: { id } });
    if (!payment) return 'error';
    if (isNotFoundFailure(payment)) return this.recheckNotFound(payment, lease);
    if (!POLLABLE_PAYMENT_STATUSES.includes(payment.status)) {
      // settled since it was claimed (a callback or an API call got there first): without a status
      // filter in the claim, a stale next_check_at must not bring it back
      await this.claims.retire(id, lease);
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

  // A payment failed as "not found at the bank" is looked at again on the slow schedule for
  // NOT_FOUND_RECHECK_FOR_MS: if the bank shows it AUTH/CHARGE after all, the checker flags it
  // (payment.bank_mismatch) and it stays `failed` until an operator settles it
  // (POST /v1/admin/payments/:id/resolve-mismatch); then, or after the window, it is retired.
  private async recheckNotFound(
    payment: PaymentEntity,
    lease: Date | null,
  ): Promise<'changed' | 'unchanged' | 'error'> {
    const failedAt = (payment.finalizedAt ?? payment.updatedAt).getTime();
    const now = new Date();
    if (payment.needsAttention || now.getTime() - failedAt > NOT_FOUND_RECHECK_FOR_MS) {
      await this.claims.retire(payment.id, lease);
      return 'unchanged';
    }
    let flagged = false;
    let result: 'changed' | 'unchanged' | 'error' = 'unchanged';
    try {
      const outcome = await this.checker.check(payment, PaymentEventSource.POLLER);
      flagged = outcome.payment.needsAttention;
      if (flagged) result = 'changed';
    } catch (err) {
      this.logger.warn(
        { paymentId: payment.id, err: (err as Error).message },
        'status check of a failed payment failed',
      );
      result = 'error';
    }
    const next = flagged ? null : new Date(now.getTime() + slowestDelayMs(this.settings.backoffSeconds));
    await this.dataSource.query(
      `UPDATE payments SET check_attempts = check_attempts + 1, next_check_at = $2, last_checked_at = $3, lease_until = NULL
        WHERE id = $1${this.claims.fence(lease, 4)}`,
      lease ? [payment.id, next, now, lease] : [payment.id, next, now],
    );
    return result;
  }

  oldestDueLagSeconds(): Promise<number> {
    return this.claims.oldestDueLagSeconds();
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
        WHERE id = $1${this.claims.fence(lease, 4)}`,
      lease ? [payment.id, next, now, lease] : [payment.id, next, now],
    );
  }
}
