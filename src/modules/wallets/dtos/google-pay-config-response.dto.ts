// What a frontend needs for Google Pay (PaymentsClient environment, IsReadyToPayRequest and the base of
// PaymentDataRequest): it adds transactionInfo and calls loadPaymentData, then sends the PaymentData to
// POST /v1/payments/google-pay.
export class GooglePayConfigResponseDto {
  environment: 'TEST' | 'PRODUCTION';
  apiVersion: 2;
  apiVersionMinor: 0;
  merchantInfo: { merchantId?: string; merchantName?: string };
  allowedPaymentMethods: {
    type: 'CARD';
    parameters: { allowedAuthMethods: string[]; allowedCardNetworks: string[] };
    tokenizationSpecification: { type: 'PAYMENT_GATEWAY'; parameters: { gateway: string; gatewayMerchantId: string } };
  }[];
}
