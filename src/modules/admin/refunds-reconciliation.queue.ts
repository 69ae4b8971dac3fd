import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { EpayTokenService } from '../auth/epay-token.service';
import { CheckScheduleService } from '../payments/check-schedule.service';
import { PaymentEntity } from '../payments/payment.entity';
import type { ReconciliationQueue } from '../status/reconciliation-queue.interface';
import { ReconciliationRegistry } from '../status/reconciliation-registry.service';
import { OPEN_REFUND_STATUSES, RefundStatus } from './refund-status.enum';
import { RefundEntity } from './refund.entity';
import { RefundsService } from './refunds.service';
import { afterResend, RefundEvidence, refundEvidence } from './utils/refund-ledger.util';
import { LeasedClaims } from '../status/utils/leased-claims';

export type RefundReconcileResult = 'changed' | 'unchanged' | 'error';

// The `refunds` queue of the reconciliation poller: refunds whose reply was lost (`unknown`) and
// `pending` rows orphaned by a crashed request.
//
// How a refund's fate is learnt:
//  1. a status check (read only): if the bank's amount drop can only be explained with this refund
//     in it, it happened;
//  2. otherwise the same refund is sent again with the SAME externalID. ePay dedupes on it, so this
//     either returns the first attempt's answer or makes the refund now (what the operator asked
//     for). A new externalID is never used. A refusal of the re-send ends the refund as failed only
//     when step 1 showed the bank's amounts without it; otherwise (the refusal might be "already
//     done") it stays unknown, flagged for a human, and is not polled again.
@Injectable()
export class RefundsReconciliationQueue implements ReconciliationQueue, OnModuleInit {
  readonly name = 'refunds';
  private readonly logger = new Logger(RefundsReconciliationQueue.name);
  private readonly claims: LeasedClaims;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly refunds: RefundsService,
    private readonly tokens: EpayTokenService,
    private readonly homebank: HomebankHttpService,
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

    const evidence = await this.evidence(refund, payment);
    if (evidence.kind === 'happened') {
      await this.refunds.succeed(id, 'confirmed by the bank amount drop (status check)', 'reconciliation');
      return 'changed';
    }

    const outcome = await this.refunds.callBank(refund, payment);
    switch (afterResend(evidence, outcome.kind)) {
      case 'succeed':
      case 'fail':
        await this.refunds.applyOutcome(id, outcome, 'reconciliation');
        return 'changed';
      case 'flag': {
        const code = 'code' in outcome ? outcome.code : '?';
        const because = evidence.kind === 'inconclusive' ? evidence.why : evidence.kind;
        const why = `re-sent refund refused (${code}) and the bank's amounts cannot rule the first attempt out (${because})`;
        this.logger.error({ refundId: id, paymentId: payment.id }, why);
        await this.flag(refund, lease, why);
        return 'unchanged';
      }
      case 'retry_later':
        await this.reschedule(refund, lease, undefined, true);
        return 'unchanged';
    }
  }

  // Settles what a status check alone can tell (no money call): used by POST /admin/payments/:id/sync.
  async settleFromStatus(refundId: string): Promise<RefundEvidence['kind'] | 'closed'> {
    const refund = await this.dataSource.getRepository(RefundEntity).findOneByOrFail({ id: refundId });
    if (!OPEN_REFUND_STATUSES.includes(refund.status)) return 'closed';
    const payment = await this.dataSource.getRepository(PaymentEntity).findOneByOrFail({ id: refund.paymentId });
    const evidence = await this.evidence(refund, payment);
    if (evidence.kind === 'happened')
      await this.refunds.succeed(refundId, 'confirmed by the bank amount drop (status check)', 'sync');
    return evidence.kind;
  }

  oldestDueLagSeconds(): Promise<number> {
    return this.claims.oldestDueLagSeconds();
  }

  private async evidence(refund: RefundEntity, payment: PaymentEntity): Promise<RefundEvidence> {
    try {
      const reply = await this.tokens.withServiceToken((token) =>
        this.homebank.checkPaymentStatus(token, payment.invoiceId, { paymentId: payment.id }),
      );
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
  // being polled: money is at stake and each look is read-only or deduped).
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
        `refund still ${refund.status} after ${hours} h`,
        OPEN_REFUND_STATUSES,
        lease,
      ],
    );
  }

  // Nothing more a machine can learn: keep it unknown (still counted against the charge), flag it,
  // stop polling. POST /v1/admin/payments/:id/sync puts it back on the queue.
  private async flag(refund: RefundEntity, lease: Date | null, why: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE refunds SET needs_attention = true, attention_reason = $2, next_check_at = NULL, last_checked_at = now(),
              check_attempts = check_attempts + 1, lease_until = NULL, updated_at = now()
        WHERE id = $1 AND status = ANY($3::text[]) AND ($4::timestamptz IS NULL OR lease_until = $4)`,
      [refund.id, why.slice(0, 1000), OPEN_REFUND_STATUSES, lease],
    );
  }
}
