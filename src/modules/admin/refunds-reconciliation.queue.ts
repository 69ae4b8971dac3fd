import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CheckScheduleService } from '../payments/check-schedule.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentStatusChecker } from '../payments/payment-status-checker.service';
import { PaymentEventSource } from '../payments/payment-status.enum';
import type { ReconciliationQueue } from '../status/reconciliation-queue.interface';
import { ReconciliationRegistry } from '../status/reconciliation-registry.service';
import { OPEN_REFUND_STATUSES, RefundStatus } from './refund-status.enum';
import { RefundEntity } from './refund.entity';
import { RefundsService } from './refunds.service';
import { RefundEvidence, refundEvidence } from './utils/refund-ledger.util';
import { LeasedClaims } from '../status/utils/leased-claims';

export type RefundReconcileResult = 'changed' | 'unchanged' | 'error';

// The `refunds` queue of the reconciliation poller: refunds whose reply was lost (`unknown`) and
// `pending` rows orphaned by a crashed request.
//
// A refund that may have reached the bank is NEVER sent again: no document says ePay de-duplicates
// externalID, and a bank that does not would refund the customer twice. Its fate is read from the
// bank's status (read only): if the bank's amount drop can only be explained with this refund in it,
// it happened; if the amounts show it did not and its call can no longer be in flight, it failed
// (the amount is free again). Anything else (in progress, status check failing, several open
// refunds that could explain the drop) keeps it `unknown` on the backoff; past
// ADMIN_ATTENTION_AFTER_HOURS it is flagged, and a person settles it with
// POST /v1/admin/refunds/:id/resolve. Only a `pending` orphan whose call was provably never made
// (bank_attempts = 0) is sent, once: that is its first send, not a re-send.
@Injectable()
export class RefundsReconciliationQueue implements ReconciliationQueue, OnModuleInit {
  readonly name = 'refunds';
  private readonly logger = new Logger(RefundsReconciliationQueue.name);
  private readonly claims: LeasedClaims;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly refunds: RefundsService,
    private readonly checker: PaymentStatusChecker,
    private readonly schedule: CheckScheduleService,
    private readonly registry: ReconciliationRegistry,
  ) {
    this.claims = new LeasedClaims(dataSource, 'refunds', OPEN_REFUND_STATUSES);
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  claimDue(limit: number, leaseMs: number): Promise<string[]> {
    return this.claims.claim(limit, leaseMs);
  }

  async reconcile(id: string): Promise<RefundReconcileResult> {
    const { lease, expired } = this.claims.take(id);
    if (expired) {
      this.logger.warn({ refundId: id }, 'claim expired before the refund was reconciled; left to the next claim');
      return 'error';
    }
    const refund = await this.dataSource.getRepository(RefundEntity).findOne({ where: { id } });
    if (!refund) return 'error';
    if (!OPEN_REFUND_STATUSES.includes(refund.status)) {
      await this.claims.release(id, lease);
      return 'unchanged';
    }
    const age = Date.now() - refund.createdAt.getTime();
    if (refund.status === RefundStatus.PENDING && age < this.refunds.graceMs) {
      // its request may still be talking to the bank: not ours yet
      await this.reschedule(refund, lease, new Date(refund.createdAt.getTime() + this.refunds.graceMs), false);
      return 'unchanged';
    }
    const payment = await this.dataSource.getRepository(PaymentEntity).findOneByOrFail({ id: refund.paymentId });

    if (refund.status === RefundStatus.PENDING && refund.bankAttempts === 0) {
      // its request died before the call: never sent, so this is the first (and only) send
      const outcome = await this.refunds.callBank(refund, payment);
      await this.refunds.applyOutcome(id, outcome, 'reconciliation');
      return 'changed';
    }

    const evidence = await this.settle(refund, payment, 'reconciliation');
    if (evidence === 'happened' || evidence === 'not_happened') return 'changed';
    await this.reschedule(refund, lease, undefined, true);
    return 'unchanged';
  }

  // Settles what a status check alone can tell (no money call): used by POST /admin/payments/:id/sync.
  async settleFromStatus(refundId: string): Promise<RefundEvidence['kind'] | 'closed'> {
    const refund = await this.dataSource.getRepository(RefundEntity).findOneByOrFail({ id: refundId });
    if (!OPEN_REFUND_STATUSES.includes(refund.status)) return 'closed';
    const payment = await this.dataSource.getRepository(PaymentEntity).findOneByOrFail({ id: refund.paymentId });
    return this.settle(refund, payment, 'sync');
  }

  // The bank's amounts settle the refund when they can: happened, or (once its call cannot be in
  // flight any more) not happened. Returns what the evidence was.
  private async settle(
    refund: RefundEntity,
    payment: PaymentEntity,
    via: 'reconciliation' | 'sync',
  ): Promise<RefundEvidence['kind']> {
    const evidence = await this.evidence(refund, payment);
    if (evidence.kind === 'happened') {
      await this.refunds.succeed(refund.id, 'confirmed by the bank amount drop (status check)', via);
      return evidence.kind;
    }
    const pastGrace = Date.now() - refund.createdAt.getTime() >= this.refunds.graceMs;
    if (evidence.kind === 'not_happened' && pastGrace) {
      await this.refunds.fail(refund.id, 'not_at_bank', "The bank's amounts show this refund was not made", via);
      return evidence.kind;
    }
    return evidence.kind === 'not_happened' ? 'inconclusive' : evidence.kind;
  }

  oldestDueLagSeconds(): Promise<number> {
    return this.claims.oldestDueLagSeconds();
  }

  private async evidence(refund: RefundEntity, payment: PaymentEntity): Promise<RefundEvidence> {
    try {
      // through the payment's status checker: the payment learns the bank's amounts, and a
      // disagreement with our ledger is flagged (payment.bank_mismatch)
      const { reply } = await this.checker.checkWithReply(payment, PaymentEventSource.POLLER);
      if (reply.resultCode !== 100 || !reply.transaction) {
        return { kind: 'inconclusive', why: `status resultCode ${reply.resultCode}` };
      }
      const ledger = await this.refunds.forPayment(payment.id);
      return refundEvidence({
        capturedAmount: payment.capturedAmount,
        bank: { statusName: reply.transaction.statusName, amountMinor: reply.transaction.amountMinor },
        succeededSum: ledger.filter((r) => r.status === RefundStatus.SUCCEEDED).reduce((sum, r) => sum + r.amount, 0),
        unsettled: ledger
          .filter((r) => OPEN_REFUND_STATUSES.includes(r.status))
          .map((r) => ({ id: r.id, amount: r.amount })),
        targetId: refund.id,
      });
    } catch (err) {
      return { kind: 'inconclusive', why: `status check failed: ${(err as Error).message}` };
    }
  }

  // Still open: count the attempt, back off, and flag it once it has been open too long (it keeps
  // being polled: money is at stake and each look is read only).
  private async reschedule(
    refund: RefundEntity,
    lease: Date | null,
    at: Date | undefined,
    countAttempt: boolean,
  ): Promise<void> {
    const now = new Date();
    const attempts = refund.checkAttempts + (countAttempt ? 1 : 0);
    const next = at ?? new Date(now.getTime() + this.schedule.delayMs(attempts));
    const overdue =
      !refund.needsAttention && now.getTime() - refund.createdAt.getTime() > this.refunds.attentionAfterMs;
    const hours = Math.round(this.refunds.attentionAfterMs / 3_600_000);
    // fenced: a settle in the meantime (status no longer open, lease cleared) or a takeover wins
    await this.dataSource.query(
      `UPDATE refunds SET check_attempts = $2, next_check_at = $3, last_checked_at = $4, lease_until = NULL, updated_at = $4,
              needs_attention = needs_attention OR $5,
              attention_reason = CASE WHEN $5 AND NOT needs_attention THEN $6 ELSE attention_reason END
        WHERE id = $1 AND status = ANY($7::text[]) AND ($8::timestamptz IS NULL OR lease_until = $8)`,
      [
        refund.id,
        attempts,
        next,
        now,
        overdue,
        `refund still ${refund.status} after ${hours} h: the bank's status has not settled it; resolve it by hand`,
        OPEN_REFUND_STATUSES,
        lease,
      ],
    );
  }
}
