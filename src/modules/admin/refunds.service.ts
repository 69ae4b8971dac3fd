import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { DomainEvents } from '../../common/events/domain-events.service';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { outcomePending } from '../../common/errors/outcome-pending.util';
import { minorToDecimalString } from '../../common/money/money.util';
import { AppConfigService } from '../../config/app-config.service';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { MetricsService } from '../../metrics/metrics.service';
import { EpayTokenService } from '../auth/epay-token.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { CheckScheduleService } from '../payments/check-schedule.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentStateService } from '../payments/payment-state.service';
import { PaymentStatusChecker } from '../payments/payment-status-checker.service';
import { PaymentEventSource, PaymentStatus } from '../payments/payment-status.enum';
import { AdminActionNote, AdminAuditService } from './admin-audit.service';
import { ResolveOutcomeDto } from './dtos/resolve-outcome.dto';
import { RefundPaymentDto } from './dtos/refund-payment.dto';
import { publicRefundData, RefundResponseDto, RefundWithPaymentDto } from './dtos/refund-response.dto';
import { OPEN_REFUND_STATUSES, RefundStatus } from './refund-status.enum';
import { RefundEntity } from './refund.entity';
import { rowsOf } from '../status/utils/leased-claims';
import { BankOutcome, classifyBankError, NOT_KNOWN_YET } from './utils/bank-outcome.util';
import {
  LedgerTotals,
  minimumRefund,
  parseRefundMinimums,
  refundableAmount,
  refundedAfterSuccess,
} from './utils/refund-ledger.util';

const REFUNDABLE_STATUSES: readonly PaymentStatus[] = [PaymentStatus.CHARGED, PaymentStatus.PARTIALLY_REFUNDED];

// A money-moving call can take this many ePay timeouts (token with retries, the call, one token
// re-fetch on 401, the call again); after that a `pending` row is an orphan of a crashed request.
export function inFlightGraceMs(epayTimeoutMs: number): number {
  return 8 * epayTimeoutMs + 30_000;
}

// Refunds: the ledger row is reserved under the payment's row lock (so concurrent refunds can never
// add up to more than the charge), committed, and only then sent to ePay with its own id as
// externalID. What the bank says settles it; anything unclear leaves it `unknown` for the
// reconciliation queue (refunds-reconciliation.queue.ts).
@Injectable()
export class RefundsService {
  private readonly logger = new Logger(RefundsService.name);
  private readonly minimums: Record<string, number>;
  readonly graceMs: number;
  readonly attentionAfterMs: number;
  private readonly outcomes;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly state: PaymentStateService,
    private readonly tokens: EpayTokenService,
    private readonly homebank: HomebankHttpService,
    private readonly domainEvents: DomainEvents,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AdminAuditService,
    private readonly schedule: CheckScheduleService,
    config: AppConfigService,
    metrics: MetricsService,
    checker: PaymentStatusChecker,
  ) {
    // status checks compare the bank's refunded amount with this ledger
    checker.registerLedger(async (paymentId) => {
      const totals = await this.totals(this.dataSource, paymentId);
      return { succeeded: totals.succeeded, open: totals.pending + totals.unknown };
    });
    this.minimums = parseRefundMinimums(config.get('ADMIN_REFUND_MINIMUMS'));
    this.graceMs = inFlightGraceMs(config.get('EPAY_TIMEOUT_MS'));
    this.attentionAfterMs = config.get('ADMIN_ATTENTION_AFTER_HOURS') * 3_600_000;
    this.outcomes = metrics.counter('admin_refunds_total', 'Refund outcomes by how they were settled', [
      'status',
      'via',
    ]);
  }

  async refund(
    paymentId: string,
    dto: RefundPaymentDto,
    actor: AuthenticatedApiKey,
    idempotencyRecordId?: string,
  ): Promise<RefundWithPaymentDto> {
    const { refund, payment } = await this.reserve(paymentId, dto, actor, idempotencyRecordId);
    const outcome = await this.callBank(refund, payment);
    try {
      return await this.withPayment(await this.applyOutcome(refund.id, outcome, 'request'));
    } catch (err) {
      // the refund may have been made: it is settled from the bank's status, never sent again
      throw outcomePending(err, 'refund', { refundId: refund.id, paymentId: payment.id });
    }
  }

  // The ledger check and the insert happen under SELECT ... FOR UPDATE on the payment row, in one
  // transaction: a concurrent refund of the same payment waits here and then sees this row.
  private async reserve(
    paymentId: string,
    dto: RefundPaymentDto,
    actor: AuthenticatedApiKey,
    idempotencyRecordId: string | undefined,
  ): Promise<{ refund: RefundEntity; payment: PaymentEntity }> {
    return this.dataSource.transaction(async (m) => {
      const payment = await this.state.lock(m, paymentId);
      if (!REFUNDABLE_STATUSES.includes(payment.status)) {
        throw new AppException(
          ErrorCode.OPERATION_NOT_ALLOWED,
          `Payment is ${payment.status}; only a charged payment can be refunded`,
          { status: payment.status },
        );
      }
      if (!payment.epayTransactionId) {
        throw new AppException(ErrorCode.OPERATION_NOT_ALLOWED, 'Payment has no ePay transaction id to refund', {
          status: payment.status,
        });
      }
      const currency = payment.currency.trim();
      const refundable = refundableAmount(
        payment.capturedAmount,
        payment.refundedAmount,
        await this.totals(m, paymentId),
      );
      const amount = dto.amount ?? refundable;
      if (amount > refundable || refundable === 0) {
        throw new AppException(
          ErrorCode.REFUND_EXCEEDS_CHARGE,
          refundable === 0
            ? 'Nothing is left to refund on this payment'
            : `At most ${refundable} can still be refunded`,
          { field: 'amount', refundable, capturedAmount: payment.capturedAmount, currency },
        );
      }
      const minimum = minimumRefund(currency, this.minimums);
      if (amount < minimum) {
        const shown = `${minorToDecimalString(minimum, currency)} ${currency}`;
        const message =
          dto.amount === undefined
            ? `the remaining refundable ${amount} is below the minimum refund of ${minimum} (${shown})`
            : `must be at least ${minimum} minor units (${shown})`;
        throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: amount', [{ field: 'amount', message }]);
      }

      const id = randomUUID();
      const refund = m.getRepository(RefundEntity).create({
        id,
        paymentId,
        amount,
        currency,
        status: RefundStatus.PENDING,
        externalId: id,
        reason: dto.reason.trim(),
        actorApiKeyId: actor.id,
        // if this request dies before settling it, the reconciliation queue takes over from here
        nextCheckAt: new Date(Date.now() + this.graceMs),
      });
      await m.getRepository(RefundEntity).insert(refund);
      await this.audit.note(m, payment, {
        action: 'refund.requested',
        actor: actor.id,
        reason: refund.reason,
        data: { refundId: id, amount, refundable },
      });
      if (idempotencyRecordId) await this.idempotency.attachResource(m, idempotencyRecordId, 'refund', id);
      return { refund: await m.getRepository(RefundEntity).findOneByOrFail({ id }), payment };
    });
  }

  // The one refund call of this refund, with its own id as externalID. The database lets it out once:
  // a refund whose call was made is never sent again (its fate is the bank's status to tell).
  async callBank(refund: RefundEntity, payment: PaymentEntity): Promise<BankOutcome> {
    const sent = rowsOf<{ id: string }>(
      await this.dataSource.query(
        `UPDATE refunds SET bank_attempts = bank_attempts + 1 WHERE id = $1 AND bank_attempts = 0 RETURNING id`,
        [refund.id],
      ),
    );
    if (!sent.length) {
      this.logger.error({ refundId: refund.id }, 'refund already sent once; not sending it again');
      return { kind: 'unknown', code: 'ALREADY_SENT', message: NOT_KNOWN_YET, detail: 'already sent once' };
    }
    try {
      await this.tokens.withServiceToken((token) =>
        this.homebank.refund(
          token,
          payment.epayTransactionId ?? '',
          refund.amount,
          refund.currency.trim(),
          refund.externalId,
          {
            paymentId: payment.id,
          },
        ),
      );
      return { kind: 'ok' };
    } catch (err) {
      const outcome = classifyBankError(err, 'refund');
      const detail = 'detail' in outcome ? outcome.detail : undefined;
      this.logger.warn(
        { refundId: refund.id, paymentId: payment.id, outcome: outcome.kind, detail },
        'refund call did not succeed',
      );
      return outcome;
    }
  }

  // A person's verdict on a refund the bank's status could not settle. Audited (who, why) in the
  // payment's timeline in the same transaction; only `failed` frees the amount.
  async resolveByHand(
    refundId: string,
    dto: ResolveOutcomeDto,
    actor: AuthenticatedApiKey,
  ): Promise<RefundWithPaymentDto> {
    const refund = await this.get(refundId);
    if (!OPEN_REFUND_STATUSES.includes(refund.status)) {
      throw new AppException(
        ErrorCode.OPERATION_NOT_ALLOWED,
        `Refund is ${refund.status}; only an open refund can be resolved`,
        {
          status: refund.status,
        },
      );
    }
    if (refund.status === RefundStatus.PENDING && Date.now() - refund.createdAt.getTime() < this.graceMs) {
      throw new AppException(ErrorCode.OPERATION_NOT_ALLOWED, 'Refund is still being sent to the bank; wait for it', {
        status: refund.status,
      });
    }
    const reason = dto.reason.trim();
    const note: AdminActionNote = {
      action: 'refund.resolved',
      actor: actor.id,
      reason,
      data: { refundId, outcome: dto.outcome },
    };
    const settled =
      dto.outcome === 'succeeded'
        ? await this.succeed(refundId, `resolved by an operator (${reason})`, 'admin', note)
        : await this.fail(
            refundId,
            'resolved_failed',
            `Resolved as not refunded by an operator: ${reason}`,
            'admin',
            note,
          );
    if (settled.status !== (dto.outcome === 'succeeded' ? RefundStatus.SUCCEEDED : RefundStatus.FAILED)) {
      // the bank's status settled it while the operator was deciding: its verdict stands
      throw new AppException(ErrorCode.OPERATION_NOT_ALLOWED, `Refund was settled meanwhile: it is ${settled.status}`, {
        status: settled.status,
      });
    }
    return this.withPayment(settled);
  }

  async applyOutcome(refundId: string, outcome: BankOutcome, via: 'request' | 'reconciliation'): Promise<RefundEntity> {
    switch (outcome.kind) {
      case 'ok':
        return this.succeed(
          refundId,
          via === 'request'
            ? 'ePay accepted the refund'
            : 'ePay accepted the refund (sent by reconciliation: its request died before the call)',
          via,
        );
      case 'failed':
        return this.fail(refundId, outcome.code, outcome.message, via);
      case 'unknown':
        return this.markUnknown(refundId, outcome.code, outcome.message);
    }
  }

  // The refund happened: ledger row succeeded, payments.refunded_amount and the payment status
  // through the state machine, and refund.succeeded, all in one transaction.
  async succeed(refundId: string, how: string, via: string, note?: AdminActionNote): Promise<RefundEntity> {
    return this.dataSource.transaction(async (m) => {
      const { payment, refund } = await this.lockRefund(m, refundId);
      if (!OPEN_REFUND_STATUSES.includes(refund.status)) return refund;
      if (note) await this.audit.note(m, payment, note);
      const now = new Date();
      const change: Partial<RefundEntity> = {
        status: RefundStatus.SUCCEEDED,
        failureCode: null,
        failureMessage: null,
        nextCheckAt: null,
        leaseUntil: null,
        finalizedAt: now,
        updatedAt: now,
      };
      await m.getRepository(RefundEntity).update({ id: refundId }, change);
      Object.assign(refund, change);

      const totals = await this.totals(m, payment.id);
      const refunded = refundedAfterSuccess(payment.capturedAmount, payment.refundedAmount, totals.succeeded);
      const fully = payment.status === PaymentStatus.REFUNDED || refunded >= payment.capturedAmount;
      const to = fully ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;
      const result = await this.state.transition(
        payment.id,
        {
          to,
          source: PaymentEventSource.ADMIN,
          actor: refund.actorApiKeyId ?? undefined,
          reason: `refund ${refund.id} succeeded: ${how}`,
          patch: { refundedAmount: refunded },
          data: { refundId: refund.id, amount: refund.amount },
        },
        m,
      );
      if (result.refused) {
        // money went back to the customer but the payment cannot show it: a human must look
        const why = `refund succeeded but the payment is ${result.from} and cannot become ${to}`;
        this.logger.error({ refundId, paymentId: payment.id }, why);
        await m.getRepository(RefundEntity).update({ id: refundId }, { needsAttention: true, attentionReason: why });
        Object.assign(refund, { needsAttention: true, attentionReason: why });
      }
      await this.domainEvents.record(m, {
        type: 'refund.succeeded',
        aggregateType: 'refund',
        aggregateId: refund.id,
        data: publicRefundData(refund),
      });
      this.outcomes.inc({ status: 'succeeded', via });
      return refund;
    });
  }

  // Definitely not refunded: the amount becomes refundable again.
  async fail(
    refundId: string,
    code: string,
    message: string,
    via: string,
    note?: AdminActionNote,
  ): Promise<RefundEntity> {
    return this.dataSource.transaction(async (m) => {
      const { payment, refund } = await this.lockRefund(m, refundId);
      if (!OPEN_REFUND_STATUSES.includes(refund.status)) return refund;
      if (note) await this.audit.note(m, payment, note);
      const now = new Date();
      const change: Partial<RefundEntity> = {
        status: RefundStatus.FAILED,
        failureCode: code,
        failureMessage: message,
        nextCheckAt: null,
        leaseUntil: null,
        finalizedAt: now,
        updatedAt: now,
      };
      await m.getRepository(RefundEntity).update({ id: refundId }, change);
      Object.assign(refund, change);
      await this.domainEvents.record(m, {
        type: 'refund.failed',
        aggregateType: 'refund',
        aggregateId: refund.id,
        data: publicRefundData(refund),
      });
      this.outcomes.inc({ status: 'failed', via });
      return refund;
    });
  }

  // The bank may or may not have refunded: it still counts against the charge, and the queue finds out.
  private async markUnknown(refundId: string, code: string, message: string): Promise<RefundEntity> {
    return this.dataSource.transaction(async (m) => {
      const { refund } = await this.lockRefund(m, refundId);
      if (refund.status !== RefundStatus.PENDING) return refund;
      const now = new Date();
      const change: Partial<RefundEntity> = {
        status: RefundStatus.UNKNOWN,
        failureCode: code,
        failureMessage: message,
        nextCheckAt: new Date(now.getTime() + this.schedule.delayMs(0)),
        checkAttempts: 0,
        updatedAt: now,
      };
      await m.getRepository(RefundEntity).update({ id: refundId }, change);
      Object.assign(refund, change);
      this.outcomes.inc({ status: 'unknown', via: 'request' });
      return refund;
    });
  }

  // Every writer takes the payment's row lock first, then reads the refund: one order, no deadlocks.
  private async lockRefund(
    m: EntityManager,
    refundId: string,
  ): Promise<{ payment: PaymentEntity; refund: RefundEntity }> {
    const repo = m.getRepository(RefundEntity);
    const row = await repo.findOne({ where: { id: refundId }, select: { id: true, paymentId: true } });
    if (!row) throw new AppException(ErrorCode.NOT_FOUND, 'Refund not found');
    const payment = await this.state.lock(m, row.paymentId);
    return { payment, refund: await repo.findOneByOrFail({ id: refundId }) };
  }

  async totals(m: EntityManager | DataSource, paymentId: string): Promise<LedgerTotals> {
    const rows: { status: RefundStatus; sum: string }[] = await m.query(
      `SELECT status, sum(amount)::text AS sum FROM refunds WHERE payment_id = $1 GROUP BY status`,
      [paymentId],
    );
    const totals: LedgerTotals = { pending: 0, unknown: 0, succeeded: 0, failed: 0 };
    for (const row of rows) totals[row.status] = Number(row.sum);
    return totals;
  }

  forPayment(paymentId: string): Promise<RefundEntity[]> {
    return this.dataSource.getRepository(RefundEntity).find({ where: { paymentId }, order: { createdAt: 'ASC' } });
  }

  openForPayment(paymentId: string): Promise<RefundEntity[]> {
    return this.dataSource
      .getRepository(RefundEntity)
      .find({ where: { paymentId, status: In([...OPEN_REFUND_STATUSES]) }, order: { createdAt: 'ASC' } });
  }

  async get(refundId: string): Promise<RefundEntity> {
    const refund = await this.dataSource.getRepository(RefundEntity).findOne({ where: { id: refundId } });
    if (!refund) throw new AppException(ErrorCode.NOT_FOUND, 'Refund not found');
    return refund;
  }

  async withPayment(refund: RefundEntity): Promise<RefundWithPaymentDto> {
    const payment = await this.dataSource.getRepository(PaymentEntity).findOneByOrFail({ id: refund.paymentId });
    const totals = await this.totals(this.dataSource, payment.id);
    return {
      ...RefundResponseDto.from(refund),
      payment: {
        id: payment.id,
        status: payment.status,
        capturedAmount: payment.capturedAmount,
        refundedAmount: payment.refundedAmount,
        refundable: refundableAmount(payment.capturedAmount, payment.refundedAmount, totals),
      },
    };
  }
}
