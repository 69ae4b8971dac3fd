import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { MetricsService } from '../../metrics/metrics.service';
import { PaymentEntity } from './payment.entity';
import { PaymentEventEntity } from './payment-event.entity';
import { canTransition, isFinal } from './payment-state-machine';
import { PaymentEventSource, PaymentStatus } from './payment-status.enum';
import { PaymentTransitionHooks } from './payment-transition.hooks';
import { CheckScheduleService } from './check-schedule.service';
import { NOT_FOUND_FAILURE_CODE } from './utils/check-schedule.util';

export type PaymentPatch = Partial<
  Pick<
    PaymentEntity,
    | 'epayTransactionId'
    | 'reference'
    | 'intReference'
    | 'approvalCode'
    | 'cardMask'
    | 'cardLast4'
    | 'cardType'
    | 'issuer'
    | 'savedCardId'
    | 'threeDs'
    | 'failureCode'
    | 'failureMessage'
    | 'capturedAmount'
    | 'refundedAmount'
    | 'needsAttention'
    | 'attentionReason'
  >
>;

export interface TransitionRequest {
  to: PaymentStatus;
  source: PaymentEventSource;
  reason?: string;
  patch?: PaymentPatch;
  exchangeId?: string;
  actor?: string;
  data?: Record<string, unknown>;
  // API/admin callers want an error for an illegal move; reconciliation sources just get changed=false
  strict?: boolean;
  // The one move out of a final state: an operator, after a fresh status check showed the bank took
  // the money, settles a payment we failed only because the bank had no record of it yet
  // (not_found_at_bank). `failed` was our inference, never the bank's answer. Admin source only.
  settleNotFoundFailure?: boolean;
}

export interface TransitionResult {
  payment: PaymentEntity;
  from: PaymentStatus;
  changed: boolean;
  refused: boolean;
}

const SUCCEEDED: ReadonlySet<PaymentStatus> = new Set([
  PaymentStatus.AUTHORIZED,
  PaymentStatus.CHARGED,
  PaymentStatus.PARTIALLY_REFUNDED,
  PaymentStatus.REFUNDED,
]);

// The one owner of payment status changes: row lock, legality check, event row, listeners (outbox),
// poller schedule, all in one transaction.
@Injectable()
export class PaymentStateService {
  private readonly logger = new Logger(PaymentStateService.name);
  private readonly transitions;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hooks: PaymentTransitionHooks,
    private readonly schedule: CheckScheduleService,
    metrics: MetricsService,
  ) {
    this.transitions = metrics.counter('payment_transitions_total', 'Payment status changes', [
      'from',
      'to',
      'source',
      'result',
    ]);
  }

  async transition(paymentId: string, req: TransitionRequest, manager?: EntityManager): Promise<TransitionResult> {
    const run = (m: EntityManager) => this.transitionLocked(m, paymentId, req);
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  // Field updates that are not status changes (e.g. marking a 3DS callback as used), under the same lock.
  async lockAndUpdate<T>(
    paymentId: string,
    fn: (payment: PaymentEntity, manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (m) => fn(await this.lock(m, paymentId), m));
  }

  async lock(manager: EntityManager, paymentId: string): Promise<PaymentEntity> {
    const payment = await manager
      .getRepository(PaymentEntity)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.id = :id', { id: paymentId })
      .getOne();
    if (!payment) throw new AppException(ErrorCode.PAYMENT_NOT_FOUND, 'Payment not found');
    return payment;
  }

  private async transitionLocked(
    m: EntityManager,
    paymentId: string,
    req: TransitionRequest,
  ): Promise<TransitionResult> {
    const payment = await this.lock(m, paymentId);
    const from = payment.status;
    const repo = m.getRepository(PaymentEntity);
    // a further partial refund is a change of its own; learning the same refunded amount again is not
    const sameStatus =
      from === req.to &&
      (req.to !== PaymentStatus.PARTIALLY_REFUNDED ||
        req.patch?.refundedAmount === undefined ||
        req.patch.refundedAmount === payment.refundedAmount);

    if (sameStatus) {
      if (req.patch && Object.keys(req.patch).length) {
        Object.assign(payment, req.patch);
        await repo.update({ id: paymentId }, req.patch);
      }
      return { payment, from, changed: false, refused: false };
    }
    const settlesNotFound =
      req.settleNotFoundFailure === true &&
      req.source === PaymentEventSource.ADMIN &&
      from === PaymentStatus.FAILED &&
      payment.failureCode === NOT_FOUND_FAILURE_CODE &&
      (req.to === PaymentStatus.AUTHORIZED || req.to === PaymentStatus.CHARGED);
    if (!canTransition(from, req.to) && !settlesNotFound) {
      this.transitions.inc({ from, to: req.to, source: req.source, result: 'refused' });
      if (req.strict) {
        throw new AppException(ErrorCode.ILLEGAL_STATE_TRANSITION, `Payment is ${from}; it cannot become ${req.to}`);
      }
      this.logger.warn({ paymentId, from, to: req.to, source: req.source }, 'refused illegal payment transition');
      return { payment, from, changed: false, refused: true };
    }

    const now = new Date();
    const update: Partial<PaymentEntity> = {
      // a payment that succeeded has no failure (an earlier GATEWAY_TIMEOUT stays in its events)
      ...(SUCCEEDED.has(req.to) ? { failureCode: null, failureMessage: null } : {}),
      ...req.patch,
      status: req.to,
      nextCheckAt: this.schedule.next(req.to, 0, now, req.patch?.failureCode),
      checkAttempts: 0,
      leaseUntil: null,
      updatedAt: now,
      ...(isFinal(req.to) ? { finalizedAt: now } : settlesNotFound ? { finalizedAt: null } : {}),
    };
    await repo.update({ id: paymentId }, update);
    Object.assign(payment, update);
    await m.getRepository(PaymentEventEntity).insert({
      paymentId,
      fromStatus: from,
      toStatus: req.to,
      source: req.source,
      reason: req.reason ?? null,
      exchangeId: req.exchangeId ?? null,
      actor: req.actor ?? null,
      data: req.data ?? null,
    });
    await this.hooks.run(m, { payment, from, to: req.to, source: req.source, reason: req.reason });
    this.transitions.inc({ from, to: req.to, source: req.source, result: 'applied' });
    return { payment, from, changed: true, refused: false };
  }
}
