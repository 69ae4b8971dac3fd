import { Type } from 'class-transformer';
import {
  IsBase64,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';

// The two shapes `applePay` may take in POST /v1/payments/apple-pay, one per APPLE_PAY_VARIANT. They
// are checked in the service (the variant is configuration), with field names under "applePay.".

// PKPaymentMethod (Apple Pay JS: event.payment.token.paymentMethod): how we learn the card type and its
// last four digits ("Visa 1234").
export class ApplePayPaymentMethodDto {
  @IsOptional()
  @IsString()
  @Length(0, 100)
  displayName?: string;

  @IsOptional()
  @Matches(/^[A-Za-z ]{2,30}$/, { message: 'must be a card network such as Visa' })
  network?: string;

  @IsOptional()
  @IsString()
  @Length(0, 20)
  type?: string;
}

export class ApplePayOnlinePaymentDataDto {
  @IsString()
  @IsBase64()
  onlinePaymentCryptogram: string;

  @IsOptional()
  @Matches(/^\d{1,2}$/, { message: 'must be 1 or 2 digits' })
  eciIndicator?: string;
}

// Apple's decrypted payment data (3DSecure type), exactly as decrypting PKPaymentToken.paymentData
// with the merchant's Payment Processing key gives it.
export class ApplePayDecryptedDataDto {
  // the device account number: forwarded to the bank inside cryptogramApplePay, never stored or logged
  @Matches(/^\d{12,19}$/, { message: 'must be 12 to 19 digits' })
  applicationPrimaryAccountNumber: string;

  @Matches(/^\d{6}$/, { message: 'must be YYMMDD' })
  applicationExpirationDate: string;

  // ISO 4217 numeric; must be the payment's currency
  @Matches(/^\d{3}$/, { message: 'must be an ISO 4217 numeric code such as 398' })
  currencyCode: string;

  // minor units; must be the payment's amount (the customer authorised exactly that)
  @IsInt()
  @Min(1)
  transactionAmount: number;

  @IsOptional()
  @IsString()
  @Length(0, 100)
  cardholderName?: string;

  @IsOptional()
  @IsString()
  @Length(0, 100)
  deviceManufacturerIdentifier?: string;

  @IsIn(['3DSecure'], { message: 'must be 3DSecure (EMV payment data is not supported)' })
  paymentDataType: '3DSecure';

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ApplePayOnlinePaymentDataDto)
  paymentData: ApplePayOnlinePaymentDataDto;

  // merchant tokens (recurring, automatic reload) carry these
  @IsOptional()
  @IsString()
  @Length(0, 200)
  merchantTokenIdentifier?: string;

  @IsOptional()
  @IsObject()
  merchantTokenMetadata?: Record<string, unknown>;
}

// APPLE_PAY_VARIANT=seed (S4): the decrypted data, plus the payment method the page saw.
export class ApplePaySeedPaymentDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ApplePayDecryptedDataDto)
  decryptedPaymentData: ApplePayDecryptedDataDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ApplePayPaymentMethodDto)
  paymentMethod?: ApplePayPaymentMethodDto;

  @IsOptional()
  @Matches(/^[0-9A-Fa-f]{16,128}$/, { message: 'must be hexadecimal' })
  transactionIdentifier?: string;
}

export class ApplePayTokenHeaderDto {
  @IsOptional()
  @IsBase64()
  ephemeralPublicKey?: string;

  @IsOptional()
  @IsBase64()
  wrappedKey?: string;

  @IsBase64()
  publicKeyHash: string;

  @Matches(/^[0-9A-Fa-f]{16,128}$/, { message: 'must be hexadecimal' })
  transactionId: string;

  @IsOptional()
  @Matches(/^[0-9A-Fa-f]{0,128}$/, { message: 'must be hexadecimal' })
  applicationData?: string;
}

export class ApplePayTokenPaymentDataDto {
  @IsIn(['EC_v1', 'RSA_v1'])
  version: 'EC_v1' | 'RSA_v1';

  @IsString()
  @IsBase64()
  @Length(1, 16384)
  data: string;

  @IsString()
  @IsBase64()
  @Length(1, 16384)
  signature: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ApplePayTokenHeaderDto)
  header: ApplePayTokenHeaderDto;
}

// APPLE_PAY_VARIANT=sdk (the bank's SDK): the raw PKPaymentToken (event.payment.token), still encrypted;
// the bank decrypts it.
export class ApplePaySdkPaymentDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ApplePayTokenPaymentDataDto)
  paymentData: ApplePayTokenPaymentDataDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ApplePayPaymentMethodDto)
  paymentMethod: ApplePayPaymentMethodDto;

  @Matches(/^[0-9A-Fa-f]{16,128}$/, { message: 'must be hexadecimal' })
  transactionIdentifier: string;
}
