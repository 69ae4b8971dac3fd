import { ApiProperty } from '@nestjs/swagger';
import { RefundStatus } from '../refund-status.enum';
import type { RefundEntity } from '../refund.entity';

export class RefundFailureDto {
  // epay_<reasonCode> for a bank refusal, or one of our gateway error codes
  code: string;
  message: string;
}

export class RefundResponseDto {
  id: string;
  paymentId: string;
  // minor units
  amount: number;
  currency: string;
  @ApiProperty({ enum: RefundStatus })
  status: RefundStatus;
  // what ePay got as externalID (equals id)
  externalId: string;
  reason: string;
  actorApiKeyId: string | null;
  failure: RefundFailureDto | null;
  bankAttempts: number;
  needsAttention: boolean;
  attentionReason: string | null;
  createdAt: string;
  updatedAt: string;
  finalizedAt: string | null;

  static from(r: RefundEntity): RefundResponseDto {
    return {
      id: r.id,
      paymentId: r.paymentId,
      amount: r.amount,
      currency: r.currency.trim(),
      status: r.status,
      externalId: r.externalId,
      reason: r.reason,
      actorApiKeyId: r.actorApiKeyId,
      failure: r.failureCode ? { code: r.failureCode, message: r.failureMessage ?? '' } : null,
      bankAttempts: r.bankAttempts,
      needsAttention: r.needsAttention,
      attentionReason: r.attentionReason,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      finalizedAt: r.finalizedAt?.toISOString() ?? null,
    };
  }
}

// What refund.succeeded / refund.failed carry to the company's webhook endpoints: the refund without
// operator internals (which key, attention flags, bank attempts).
export function publicRefundData(r: RefundEntity): Record<string, unknown> {
  const v = RefundResponseDto.from(r);
  return {
    id: v.id,
    paymentId: v.paymentId,
    amount: v.amount,
    currency: v.currency,
    status: v.status,
    externalId: v.externalId,
    reason: v.reason,
    failure: v.failure,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    finalizedAt: v.finalizedAt,
  };
}

export class RefundPaymentSummaryDto {
  id: string;
  status: string;
  capturedAmount: number;
  refundedAmount: number;
  // what a further refund may still take (charged − refunds not failed)
  refundable: number;
}

export class RefundWithPaymentDto extends RefundResponseDto {
  payment: RefundPaymentSummaryDto;
}
