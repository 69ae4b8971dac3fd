import { PaymentResponseDto } from '../../payments/dtos/payment-response.dto';
import type { PaymentEntity } from '../../payments/payment.entity';

// The client view of a payment plus what only operators need.
export class AdminPaymentResponseDto extends PaymentResponseDto {
  invoiceIdAlt: string | null;
  apiKeyId: string | null;
  // secret, publishable or customer_session
  createdByKind: string | null;
  attentionReason: string | null;
  intReference: string | null;
  nextCheckAt: string | null;
  checkAttempts: number;
  lastCheckedAt: string | null;
  finalizedAt: string | null;

  static fromEntity(p: PaymentEntity, publicBaseUrl: string): AdminPaymentResponseDto {
    return {
      ...PaymentResponseDto.from(p, publicBaseUrl),
      currency: p.currency.trim(),
      invoiceIdAlt: p.invoiceIdAlt,
      apiKeyId: p.apiKeyId,
      createdByKind: p.createdByKind,
      attentionReason: p.attentionReason,
      intReference: p.intReference,
      nextCheckAt: p.nextCheckAt?.toISOString() ?? null,
      checkAttempts: p.checkAttempts,
      lastCheckedAt: p.lastCheckedAt?.toISOString() ?? null,
      finalizedAt: p.finalizedAt?.toISOString() ?? null,
    };
  }
}

export class AdminPaymentPageDto {
  data: AdminPaymentResponseDto[];
  // pass as ?cursor= for the next page; null on the last page
  nextCursor: string | null;
}
