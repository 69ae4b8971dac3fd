import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { PaymentFieldsDto } from '../../payments/dtos/payment-fields.dto';

export class CreateApplePayPaymentDto extends PaymentFieldsDto {
  // Its shape follows APPLE_PAY_VARIANT (checked in the service, errors named "applePay.…"):
  // - seed (default; the bank's S4 document): what your server got by decrypting the PKPaymentToken with
  //   the Payment Processing key: { decryptedPaymentData: {applicationPrimaryAccountNumber,
  //   applicationExpirationDate, currencyCode, transactionAmount, paymentDataType: "3DSecure",
  //   paymentData: {onlinePaymentCryptogram, eciIndicator}}, paymentMethod?: {displayName, network, type},
  //   transactionIdentifier? }. transactionAmount and currencyCode must match amount and currency.
  // - sdk (the bank's iOS SDK): the raw PKPaymentToken from Apple Pay JS (event.payment.token):
  //   { paymentData: {version, data, signature, header}, paymentMethod, transactionIdentifier }.
  // Either way it goes to the bank only: never stored, logged or echoed.
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'see APPLE_PAY_VARIANT: decrypted payment data (seed) or PKPaymentToken (sdk)',
  })
  @IsObject()
  applePay: Record<string, unknown>;
}
