import { Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { isGooglePayToken } from '../utils/google-pay-body.util';

// The Google Pay PaymentData object the frontend got from loadPaymentData(), passed on as it is.
// Only what ePay needs (S0) is forwarded; the token is never stored or logged.

export class GooglePayTokenizationDataDto {
  @IsIn(['PAYMENT_GATEWAY'], { message: 'must be PAYMENT_GATEWAY (ePay decrypts the token; DIRECT is not supported)' })
  type: 'PAYMENT_GATEWAY';

  // the encrypted token string Google returned (JSON with protocolVersion and signedMessage)
  @IsString()
  @ValidateBy({
    name: 'isGooglePayToken',
    validator: {
      validate: isGooglePayToken,
      defaultMessage: () =>
        'must be the token string Google Pay returned (JSON with protocolVersion and signedMessage)',
    },
  })
  token: string;
}

export class GooglePayCardInfoDto {
  // checked against GOOGLE_PAY_CARD_NETWORKS
  @IsString()
  @Matches(/^[A-Z_]{2,20}$/, { message: 'must be a Google Pay card network such as VISA' })
  cardNetwork: string;

  @Matches(/^\d{4}$/, { message: 'must be the last four digits of the card' })
  cardDetails: string;

  // present when the frontend asked Google for them: accepted and not forwarded; its `name` is the
  // payer name sent to ePay when the request gives none
  @IsOptional()
  @IsObject()
  billingAddress?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  assuranceDetails?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  cardFundingSource?: string;
}

export class GooglePayPaymentMethodDataDto {
  @IsIn(['CARD'])
  type: 'CARD';

  // e.g. "Visa •••• 1111"
  @IsOptional()
  @IsString()
  @Length(0, 100)
  description?: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => GooglePayTokenizationDataDto)
  tokenizationData: GooglePayTokenizationDataDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => GooglePayCardInfoDto)
  info: GooglePayCardInfoDto;
}

export class GooglePayPaymentDataDto {
  @IsInt()
  @IsIn([2], { message: 'must be 2 (Google Pay API version 2)' })
  apiVersion: number;

  @IsInt()
  @Min(0)
  @Max(99)
  apiVersionMinor: number;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => GooglePayPaymentMethodDataDto)
  paymentMethodData: GooglePayPaymentMethodDataDto;

  // present when the frontend asked Google for them: accepted, neither forwarded nor stored
  @IsOptional()
  @IsEmail()
  email?: string;

  @IsOptional()
  @IsObject()
  shippingAddress?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  shippingOptionData?: Record<string, unknown>;
}
