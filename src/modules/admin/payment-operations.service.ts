import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { outcomePending } from '../../common/errors/outcome-pending.util';
import { AppConfigService } from '../../config/app-config.service';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { EpayTokenService } from '../auth/epay-token.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { CheckScheduleService } from '../payments/check-schedule.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentStateService } from '../payments/payment-state.service';
import { PaymentStatusChecker } from '../payments/payment-status-checker.service';
import { PaymentEventSource, PaymentStatus } from '../payments/payment-status.enum';
import { AdminActionNote, AdminAuditService } from './admin-audit.service';
import { ResolveOutcomeDto } from './dtos/resolve-outcome.dto';
import { AdminPaymentResponseDto } from './dtos/admin-payment-response.dto';
import { PaymentOperationResponseDto, PaymentOperationWithPaymentDto } from './dtos/payment-operation-response.dto';
import { PaymentOperationEntity } from './payment-operation.entity';
import { PaymentOperationKind } from './payment-operation-kind.enum';
import { OPEN_REFUND_STATUSES, RefundStatus } from './refund-status.enum';
import { inFlightGraceMs } from './refunds.service';
import { BankOutcome, classifyBankError } from './utils/bank-outcome.util';
import { operationVerdict } from './utils/operation-verdict.util';

export interface OperationRequest {
  kind: PaymentOperationKind;
  amount?: number;
  reason: string | null;
}

// Charge and cancel of an authorisation (two-step terminals, API.md §6). The operation row is
// committed under the payment's row lock before the bank call (one open operation per payment).
// An unclear reply leaves the payment `authorized` (funds still held, nothing charged twice, nothing
// released): the operation is `unknown` until a status check shows CHARGE / CANCEL / still AUTH.
// These calls carry no id of ours, so they are never re-sent.
@Injectable()
export class PaymentOperationsService {
  private readonly logger = new Logger(PaymentOperationsService.name);
  readonly graceMs: number;
  readonly attentionAfterMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly state: PaymentStateService,
    private readonly checker: PaymentStatusChecker,
    private readonly tokens: EpayTokenService,
    private readonly homebank: HomebankHttpService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AdminAuditService,
    private readonly schedule: CheckScheduleService,
    private readonly config: AppConfigService,
  ) {
    this.graceMs = inFlightGraceMs(config.get('EPAY_TIMEOUT_MS'));
    this.attentionAfterMs = config.get('ADMIN_ATTENTION_AFTER_HOURS') * 3_600_000;
  }

  async execute(
    paymentId: string,
    request: OperationRequest,
    actor: AuthenticatedApiKey,
    idempotencyRecordId?: string,
  ): Promise<PaymentOperationWithPaymentDto> {
    const { operation, payment } = await this.reserve(paymentId, request, actor, idempotencyRecordId);
    const outcome = await this.callBank(operation, payment);
    try {
      return await this.withPayment(await this.applyOutcome(operation, outcome));
    } catch (err) {
      throw outcomePending(err, operation.kind, { operationId: operation.id, paymentId: payment.id });
    }
  }

  private async applyOutcome(operation: PaymentOperationEntity, outcome: BankOutcome): Promise<PaymentOperationEntity> {
    switch (outcome.kind) {
      case 'ok':
        return this.succeed(operation.id, `ePay accepted the ${operation.kind}`);
      case 'failed':
        return this.fail(operation.id, outcome.code, outcome.message);
      case 'unknown':
        await this.markUnknown(operation.id, outcome.code, outcome.message);
        // one read-only look right away: with a lost reply the bank usually already shows the result
        return this.settleFromStatus(operation.id, PaymentEventSource.ADMIN);
    }
  }

  // A person's verdict on a charge/cancel the bank's status could not settle, audited in the payment's
  // timeline in the same transaction. `succeeded` moves the payment as the bank's answer would have.
  async resolveByHand(
    operationId: string,
    dto: ResolveOutcomeDto,
    actor: AuthenticatedApiKey,
  ): Promise<PaymentOperationWithPaymentDto> {
    const operation = await this.dataSource
      .getRepository(PaymentOperationEntity)
      .findOne({ where: { id: operationId } });
    if (!operation) throw new AppException(ErrorCode.NOT_FOUND, 'Operation not found');
    if (!OPEN_REFUND_STATUSES.includes(operation.status)) {
      throw new AppException(
        ErrorCode.OPERATION_NOT_ALLOWED,
        `The ${operation.kind} is ${operation.status}; only an open one can be resolved`,
        { status: operation.status },
      );
    }
    if (operation.status === RefundStatus.PENDING && Date.now() - operation.createdAt.getTime() < this.graceMs) {
      throw new AppException(ErrorCode.OPERATION_NOT_ALLOWED, `The ${operation.kind} is still being sent to the bank`, {
        status: operation.status,
      });
    }
    const reason = dto.reason.trim();
    const note: AdminActionNote = {
      action: `${operation.kind}.resolved`,
      actor: actor.id,
      reason,
      data: { operationId, outcome: dto.outcome },
    };
    const settled =
      dto.outcome === 'succeeded'
        ? await this.succeed(operationId, `resolved by an operator (${reason})`, note)
        : await this.fail(operationId, 'resolved_failed', `Resolved as not done by an operator: ${reason}`, note);
    if (settled.status !== (dto.outcome === 'succeeded' ? RefundStatus.SUCCEEDED : RefundStatus.FAILED)) {
      // the bank's status settled it while the operator was deciding: its verdict stands
      throw new AppException(
        ErrorCode.OPERATION_NOT_ALLOWED,
        `Operation was settled meanwhile: it is ${settled.status}`,
        {
          status: settled.status,
        },
      );
    }
    return this.withPayment(settled);
  }

  private async reserve(
    paymentId: string,
    request: OperationRequest,
    actor: AuthenticatedApiKey,
    idempotencyRecordId: string | undefined,
  ): Promise<{ operation: PaymentOperationEntity; payment: PaymentEntity }> {
    return this.dataSource.transaction(async (m) => {
      const payment = await this.state.lock(m, paymentId);
      if (payment.status !== PaymentStatus.AUTHORIZED) {
        const verb = request.kind === PaymentOperationKind.CHARGE ? 'charged' : 'cancelled';
        throw new AppException(
          ErrorCode.OPERATION_NOT_ALLOWED,
          `Payment is ${payment.status}; only an authorized payment (two-step terminal) can be ${verb}`,
          { status: payment.status },
        );
      }
      if (!payment.epayTransactionId) {
        throw new AppException(ErrorCode.OPERATION_NOT_ALLOWED, 'Payment has no ePay transaction id', {
          status: payment.status,
        });
      }
      if (request.amount !== undefined && request.amount > payment.amount) {
        throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: amount', [
          { field: 'amount', message: `must not exceed the authorised amount (${payment.amount})` },
        ]);
      }
      const repo = m.getRepository(PaymentOperationEntity);
      // under the payment's lock, so this check and the partial unique index agree
      const open = await repo.findOne({ where: { paymentId, status: In([...OPEN_REFUND_STATUSES]) } });
      if (open) {
        throw new AppException(
          ErrorCode.OPERATION_NOT_ALLOWED,
          `A ${open.kind} of this payment is still ${open.status}; wait for it to settle`,
          { operationId: open.id, status: open.status },
        );
      }
      const operation = repo.create({
        paymentId,
        kind: request.kind,
        // a charge always names its amount to the bank: what we record is exactly what was asked
        amount: request.kind === PaymentOperationKind.CHARGE ? (request.amount ?? payment.amount) : null,
        currency: payment.currency.trim(),
        status: RefundStatus.PENDING,
        reason: request.reason,
        actorApiKeyId: actor.id,
        nextCheckAt: new Date(Date.now() + this.graceMs),
      });
      await repo.insert(operation);
      await this.audit.note(m, payment, {
        action: `${request.kind}.requested`,
        actor: actor.id,
        reason: request.reason,
        data: { operationId: operation.id, amount: operation.amount },
      });
      if (idempotencyRecordId)
        await this.idempotency.attachResource(m, idempotencyRecordId, 'payment-operation', operation.id);
      return { operation: await repo.findOneByOrFail({ id: operation.id }), payment };
    });
  }

  private async callBank(operation: PaymentOperationEntity, payment: PaymentEntity): Promise<BankOutcome> {
    const txId = payment.epayTransactionId ?? '';
    const link = { paymentId: payment.id };
    try {
      await this.tokens.withServiceToken((token) =>
        operation.kind === PaymentOperationKind.CHARGE
          ? this.homebank.charge(token, txId, operation.amount ?? payment.amount, operation.currency.trim(), link)
          : this.homebank.cancel(token, txId, link),
      );
      return { kind: 'ok' };
    } catch (err) {
      const outcome = classifyBankError(err, operation.kind);
      this.logger.warn(
        { operationId: operation.id, paymentId: payment.id, kind: operation.kind, outcome: outcome.kind },
        'payment operation did not succeed',
      );
      return outcome;
    }
  }

  // The bank did it: the operation and the payment's status change commit together.
  private async succeed(operationId: string, how: string, note?: AdminActionNote): Promise<PaymentOperationEntity> {
    return this.dataSource.transaction(async (m) => {
      const { payment, operation } = await this.lockOperation(m, operationId);
      if (!OPEN_REFUND_STATUSES.includes(operation.status)) return operation;
      if (note) await this.audit.note(m, payment, note);
      await this.close(m, operation, { status: RefundStatus.SUCCEEDED, failureCode: null, failureMessage: null });
      const charge = operation.kind === PaymentOperationKind.CHARGE;
      const to = charge ? PaymentStatus.CHARGED : PaymentStatus.CANCELLED;
      // not strict: the money has moved; if the payment cannot show it any more, a human is told
      const result = await this.state.transition(
        payment.id,
        {
          to,
          source: PaymentEventSource.ADMIN,
          actor: operation.actorApiKeyId ?? undefined,
          reason: `${operation.kind} ${operation.id}: ${how}${operation.reason ? ` (${operation.reason})` : ''}`,
          patch: charge ? { capturedAmount: operation.amount ?? payment.amount } : undefined,
          data: { operationId: operation.id, amount: operation.amount },
        },
        m,
      );
      if (result.refused) {
        await this.attention(
          m,
          operation,
          `${operation.kind} succeeded but the payment is ${result.from} and cannot become ${to}`,
        );
      }
      return operation;
    });
  }

  private async fail(
    operationId: string,
    code: string,
    message: string,
    note?: AdminActionNote,
  ): Promise<PaymentOperationEntity> {
    return this.dataSource.transaction(async (m) => {
      const { payment, operation } = await this.lockOperation(m, operationId);
      if (!OPEN_REFUND_STATUSES.includes(operation.status)) return operation;
      if (note) await this.audit.note(m, payment, note);
      await this.close(m, operation, { status: RefundStatus.FAILED, failureCode: code, failureMessage: message });
      return operation;
    });
  }

  private async markUnknown(operationId: string, code: string, message: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const { operation } = await this.lockOperation(m, operationId);
      if (operation.status !== RefundStatus.PENDING) return;
      await m.getRepository(PaymentOperationEntity).update(
        { id: operationId },
        {
          status: RefundStatus.UNKNOWN,
          failureCode: code,
          failureMessage: message,
          nextCheckAt: new Date(Date.now() + this.schedule.delayMs(0)),
          updatedAt: new Date(),
        },
      );
    });
  }

  // Reads the payment's status from the bank (applied through PaymentStatusChecker, so the payment
  // itself moves to charged/cancelled) and settles the operation from it. No money is moved here.
  async settleFromStatus(operationId: string, source: PaymentEventSource): Promise<PaymentOperationEntity> {
    const repo = this.dataSource.getRepository(PaymentOperationEntity);
    const operation = await repo.findOneByOrFail({ id: operationId });
    if (!OPEN_REFUND_STATUSES.includes(operation.status)) return operation;
    const payment = await this.dataSource.getRepository(PaymentEntity).findOneByOrFail({ id: operation.paymentId });
    let status = payment.status;
    try {
      const outcome = await this.checker.check(payment, source);
      if (outcome.kind !== 'applied') return operation;
      status = outcome.payment.status;
    } catch (err) {
      this.logger.warn({ operationId, err: (err as Error).message }, 'status check for a payment operation failed');
      return operation;
    }
    const pastGrace = Date.now() - operation.createdAt.getTime() >= this.graceMs;
    const verdict = operationVerdict(operation.kind, status, pastGrace);
    if (verdict === 'open') return repo.findOneByOrFail({ id: operationId });
    return this.dataSource.transaction(async (m) => {
      const { payment: locked, operation: current } = await this.lockOperation(m, operationId);
      if (!OPEN_REFUND_STATUSES.includes(current.status)) return current;
      if (verdict === 'succeeded') {
        await this.close(m, current, { status: RefundStatus.SUCCEEDED, failureCode: null, failureMessage: null });
        if (
          current.kind === PaymentOperationKind.CHARGE &&
          current.amount !== null &&
          locked.capturedAmount !== current.amount
        ) {
          await this.attention(
            m,
            current,
            `bank charged ${locked.capturedAmount}, the operation asked for ${current.amount}`,
          );
        }
      } else {
        const why =
          status === PaymentStatus.AUTHORIZED
            ? `the bank still shows the authorisation: not ${current.kind === PaymentOperationKind.CHARGE ? 'charged' : 'cancelled'}`
            : `the payment is ${status}`;
        const failureCode = current.failureCode ?? 'epay_status';
        await this.close(m, current, { status: RefundStatus.FAILED, failureCode, failureMessage: why });
      }
      return current;
    });
  }

  private async close(
    m: EntityManager,
    operation: PaymentOperationEntity,
    result: Pick<PaymentOperationEntity, 'status' | 'failureCode' | 'failureMessage'>,
  ): Promise<void> {
    const now = new Date();
    const change: Partial<PaymentOperationEntity> = {
      ...result,
      nextCheckAt: null,
      leaseUntil: null,
      finalizedAt: now,
      updatedAt: now,
    };
    await m.getRepository(PaymentOperationEntity).update({ id: operation.id }, change);
    Object.assign(operation, change);
  }

  private async attention(m: EntityManager, operation: PaymentOperationEntity, why: string): Promise<void> {
    this.logger.error({ operationId: operation.id, paymentId: operation.paymentId }, why);
    const change = { needsAttention: true, attentionReason: why.slice(0, 1000) };
    await m.getRepository(PaymentOperationEntity).update({ id: operation.id }, change);
    Object.assign(operation, change);
  }

  // payment row lock first, then the operation: the same order as every other writer
  private async lockOperation(
    m: EntityManager,
    operationId: string,
  ): Promise<{ payment: PaymentEntity; operation: PaymentOperationEntity }> {
    const repo = m.getRepository(PaymentOperationEntity);
    const row = await repo.findOne({ where: { id: operationId }, select: { id: true, paymentId: true } });
    if (!row) throw new AppException(ErrorCode.NOT_FOUND, 'Operation not found');
    const payment = await this.state.lock(m, row.paymentId);
    return { payment, operation: await repo.findOneByOrFail({ id: operationId }) };
  }

  forPayment(paymentId: string): Promise<PaymentOperationEntity[]> {
    return this.dataSource
      .getRepository(PaymentOperationEntity)
      .find({ where: { paymentId }, order: { createdAt: 'ASC' } });
  }

  openForPayment(paymentId: string): Promise<PaymentOperationEntity[]> {
    return this.dataSource
      .getRepository(PaymentOperationEntity)
      .find({ where: { paymentId, status: In([...OPEN_REFUND_STATUSES]) }, order: { createdAt: 'ASC' } });
  }

  async withPayment(operation: PaymentOperationEntity): Promise<PaymentOperationWithPaymentDto> {
    const payment = await this.dataSource.getRepository(PaymentEntity).findOneByOrFail({ id: operation.paymentId });
    return {
      ...PaymentOperationResponseDto.from(operation),
      payment: AdminPaymentResponseDto.fromEntity(payment, this.config.publicBaseUrl),
    };
  }

  async resolve(operationId: string): Promise<PaymentOperationWithPaymentDto> {
    return this.withPayment(
      await this.dataSource.getRepository(PaymentOperationEntity).findOneByOrFail({ id: operationId }),
    );
  }
}
