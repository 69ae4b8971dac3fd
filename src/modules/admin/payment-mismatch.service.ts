import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentStateService } from '../payments/payment-state.service';
import { PaymentStatusChecker } from '../payments/payment-status-checker.service';
import { PaymentEventSource, PaymentStatus } from '../payments/payment-status.enum';
import { NOT_FOUND_FAILURE_CODE } from '../payments/utils/check-schedule.util';
import { interpretStatusReply } from '../status/utils/interpret-status-reply.util';
import { AdminPaymentResponseDto } from './dtos/admin-payment-response.dto';
import { PaymentOperationWithPaymentDto } from './dtos/payment-operation-response.dto';
import { RefundWithPaymentDto } from './dtos/refund-response.dto';
import { ResolveMismatchDto } from './dtos/resolve-mismatch.dto';
import { PaymentOperationKind } from './payment-operation-kind.enum';
import { PaymentOperationsService } from './payment-operations.service';
import { RefundsService } from './refunds.service';

export interface MismatchResolutionResult {
  payment: AdminPaymentResponseDto;
  // refund_at_bank: the full refund (charged) or the cancel of the authorisation
  refund?: RefundWithPaymentDto;
  operation?: PaymentOperationWithPaymentDto;
}

// POST /v1/admin/payments/:id/resolve-mismatch. A payment we failed because the bank had no record of
// it (not_found_at_bank) but that the bank now shows AUTH/CHARGE: the customer's money was taken.
// After a fresh status check confirms it, the payment takes the bank's status (the one audited move
// out of `failed`: that status was our inference, never the bank's answer), then:
//  - record_as_paid: that is all; the company keeps the sale (payment.succeeded is sent);
//  - refund_at_bank: the money goes back through the normal path: a full refund through the refund
//    ledger (charged) or a cancel of the authorisation, each sent once.
@Injectable()
export class PaymentMismatchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly checker: PaymentStatusChecker,
    private readonly state: PaymentStateService,
    private readonly refunds: RefundsService,
    private readonly operations: PaymentOperationsService,
    private readonly config: AppConfigService,
  ) {}

  async resolve(
    paymentId: string,
    dto: ResolveMismatchDto,
    actor: AuthenticatedApiKey,
    idempotencyRecordId?: string,
  ): Promise<MismatchResolutionResult> {
    const payment = await this.dataSource.getRepository(PaymentEntity).findOne({ where: { id: paymentId } });
    if (!payment) throw new AppException(ErrorCode.PAYMENT_NOT_FOUND, 'Payment not found');
    if (payment.status !== PaymentStatus.FAILED || payment.failureCode !== NOT_FOUND_FAILURE_CODE) {
      throw new AppException(
        ErrorCode.OPERATION_NOT_ALLOWED,
        'Only a payment failed as not found at the bank can be resolved this way',
        { status: payment.status, failureCode: payment.failureCode },
      );
    }
    const { reply } = await this.checker.checkWithReply(payment, PaymentEventSource.ADMIN);
    const verdict = interpretStatusReply(payment, reply);
    const to = verdict.kind === 'settle' ? verdict.to : undefined;
    if (verdict.kind !== 'settle' || (to !== PaymentStatus.CHARGED && to !== PaymentStatus.AUTHORIZED)) {
      throw new AppException(
        ErrorCode.OPERATION_NOT_ALLOWED,
        `The bank does not show this payment charged or authorised now (${reply.transaction?.statusName ?? `resultCode ${reply.resultCode}`}); nothing to resolve here`,
        { bankStatus: reply.transaction?.statusName ?? null, resultCode: reply.resultCode },
      );
    }
    const reason = dto.reason.trim();
    const result = await this.state.transition(paymentId, {
      to,
      source: PaymentEventSource.ADMIN,
      actor: actor.id,
      reason: `mismatch resolved (${dto.resolution}): ${reason}`.slice(0, 1000),
      data: {
        action: 'payment.mismatch_resolved',
        resolution: dto.resolution,
        bankStatus: reply.transaction?.statusName,
      },
      patch: { ...verdict.patch, needsAttention: false, attentionReason: null },
      settleNotFoundFailure: true,
      strict: true,
    });

    const out: MismatchResolutionResult = {
      payment: AdminPaymentResponseDto.fromEntity(result.payment, this.config.publicBaseUrl),
    };
    if (dto.resolution === 'refund_at_bank') {
      if (to === PaymentStatus.CHARGED) {
        out.refund = await this.refunds.refund(paymentId, { reason }, actor, idempotencyRecordId);
      } else {
        const cancel = { kind: PaymentOperationKind.CANCEL, reason };
        out.operation = await this.operations.execute(paymentId, cancel, actor, idempotencyRecordId);
      }
      const current = await this.dataSource.getRepository(PaymentEntity).findOneByOrFail({ id: paymentId });
      out.payment = AdminPaymentResponseDto.fromEntity(current, this.config.publicBaseUrl);
    }
    return out;
  }
}
