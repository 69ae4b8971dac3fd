import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PaymentMethod, PaymentStatus } from '../payment-status.enum';
import type { PaymentEntity } from '../payment.entity';

export class PaymentCardDto {
  // e.g. "440563...5096"
  mask: string | null;
  last4: string | null;
  type: string | null;
  issuer: string | null;
}

export class PaymentFailureDto {
  // epay_<reasonCode> for bank declines, or one of our gateway error codes
  code: string;
  message: string;
}

export class NextActionDto {
  @ApiProperty({ enum: ['redirect'] })
  type: 'redirect';
  // send the customer's browser here (3-D Secure)
  url: string;
}

export class PaymentResponseDto {
  id: string;
  invoiceId: string;
  @ApiProperty({ enum: PaymentStatus })
  status: PaymentStatus;
  @ApiProperty({ enum: PaymentMethod })
  method: PaymentMethod;
  // minor units
  amount: number;
  currency: string;
  capturedAmount: number;
  refundedAmount: number;
  description: string | null;
  accountId: string | null;
  card: PaymentCardDto | null;
  savedCardId: string | null;
  reference: string | null;
  approvalCode: string | null;
  epayTransactionId: string | null;
  failure: PaymentFailureDto | null;
  nextAction: NextActionDto | null;
  metadata: Record<string, unknown> | null;
  needsAttention: boolean;
  createdAt: string;
  updatedAt: string;
  @ApiPropertyOptional({
    description:
      'creation answers only: lets a browser (publishable key, customer session) read this payment back with header X-Client-Secret',
  })
  clientSecret?: string;

  static from(p: PaymentEntity, publicBaseUrl: string): PaymentResponseDto {
    return {
      id: p.id,
      invoiceId: p.invoiceId,
      status: p.status,
      method: p.method,
      amount: p.amount,
      currency: p.currency,
      capturedAmount: p.capturedAmount,
      refundedAmount: p.refundedAmount,
      description: p.description ?? null,
      accountId: p.accountId ?? null,
      card:
        p.cardMask || p.cardType
          ? { mask: p.cardMask ?? null, last4: p.cardLast4 ?? null, type: p.cardType ?? null, issuer: p.issuer ?? null }
          : null,
      savedCardId: p.savedCardId ?? null,
      reference: p.reference ?? null,
      approvalCode: p.approvalCode ?? null,
      epayTransactionId: p.epayTransactionId ?? null,
      failure: p.failureCode ? { code: p.failureCode, message: p.failureMessage ?? '' } : null,
      nextAction:
        p.status === PaymentStatus.REQUIRES_3DS && p.threeDs && !p.threeDs.callbackAt
          ? { type: 'redirect', url: `${publicBaseUrl}/v1/three-ds/${p.id}` }
          : null,
      metadata: (p.metadata as Record<string, unknown> | null) ?? null,
      needsAttention: p.needsAttention,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    };
  }
}
