import { ApiProperty } from '@nestjs/swagger';
import type { PaymentResponseDto } from '../../payments/dtos/payment-response.dto';

// The token object as ePay returns it (S1: "auth ... transmitted completely as an object"): passed on
// as received, so these are the fields ePay is known to send, with its types (expires_in is a string
// in practice), plus whatever else it sends.
export class WidgetAuthDto {
  access_token: string;
  expires_in: number | string;
  refresh_token: string;
  scope: string;
  token_type: 'Bearer';
}

// What the frontend passes to halyk.showPaymentWidget(paymentObject, callback) (S1).
export class WidgetPaymentObjectDto {
  invoiceId: string;
  invoiceIdAlt?: string;
  backLink?: string;
  failureBackLink?: string;
  postLink: string;
  failurePostLink: string;
  language: string;
  description?: string;
  accountId: string;
  terminal: string;
  // a decimal, as ePay wants it (10050 minor units → 100.5)
  amount: number;
  currency: string;
  name?: string;
  // metadata as a JSON string
  data?: string;
  auth?: WidgetAuthDto;
}

export class WidgetPaymentResponseDto {
  payment: PaymentResponseDto;
  // the bank's widget script for this environment
  scriptUrl: string;
  // null when the payment can no longer be paid in the widget (paid, failed, or mid-3-D Secure)
  paymentObject: WidgetPaymentObjectDto | null;
  // when paymentObject.auth stops working; the same request with the same Idempotency-Key returns
  // the payment with a fresh token
  expiresAt: string | null;
  @ApiProperty({ description: 'reads this payment back with a publishable key (header X-Client-Secret)' })
  clientSecret?: string;
}
