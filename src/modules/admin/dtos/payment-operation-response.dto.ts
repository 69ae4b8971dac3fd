import { ApiProperty } from '@nestjs/swagger';
import { PaymentOperationKind } from '../payment-operation-kind.enum';
import { RefundStatus } from '../refund-status.enum';
import type { PaymentOperationEntity } from '../payment-operation.entity';
import { AdminPaymentResponseDto } from './admin-payment-response.dto';
import { RefundFailureDto } from './refund-response.dto';

export class PaymentOperationResponseDto {
  id: string;
  paymentId: string;
  @ApiProperty({ enum: PaymentOperationKind })
  kind: PaymentOperationKind;
  // minor units; the charged amount (charge), null for a cancel
  amount: number | null;
  currency: string;
  @ApiProperty({ enum: RefundStatus })
  status: RefundStatus;
  reason: string | null;
  actorApiKeyId: string | null;
  failure: RefundFailureDto | null;
  needsAttention: boolean;
  attentionReason: string | null;
  createdAt: string;
  updatedAt: string;
  finalizedAt: string | null;

  static from(o: PaymentOperationEntity): PaymentOperationResponseDto {
    return {
      id: o.id,
      paymentId: o.paymentId,
      kind: o.kind,
      amount: o.amount,
      currency: o.currency.trim(),
      status: o.status,
      reason: o.reason,
      actorApiKeyId: o.actorApiKeyId,
      failure: o.failureCode ? { code: o.failureCode, message: o.failureMessage ?? '' } : null,
      needsAttention: o.needsAttention,
      attentionReason: o.attentionReason,
      createdAt: o.createdAt.toISOString(),
      updatedAt: o.updatedAt.toISOString(),
      finalizedAt: o.finalizedAt?.toISOString() ?? null,
    };
  }
}

export class PaymentOperationWithPaymentDto extends PaymentOperationResponseDto {
  payment: AdminPaymentResponseDto;
}
