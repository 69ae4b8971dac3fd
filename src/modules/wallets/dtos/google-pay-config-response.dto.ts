import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class GooglePayMerchantInfoDto {
  @ApiPropertyOptional()
  merchantId?: string;
  @ApiPropertyOptional()
  merchantName?: string;
}

export class GooglePayCardParametersDto {
  @ApiProperty({ type: [String], example: ['PAN_ONLY', 'CRYPTOGRAM_3DS'] })
  allowedAuthMethods: string[];
  @ApiProperty({ type: [String], example: ['VISA', 'MASTERCARD'] })
  allowedCardNetworks: string[];
}

export class GooglePayGatewayParametersDto {
  @ApiProperty({ example: 'halykbank' })
  gateway: string;
  @ApiProperty()
  gatewayMerchantId: string;
}

export class GooglePayTokenizationDto {
  @ApiProperty({ enum: ['PAYMENT_GATEWAY'] })
  type: 'PAYMENT_GATEWAY';
  @ApiProperty({ type: GooglePayGatewayParametersDto })
  parameters: GooglePayGatewayParametersDto;
}

export class GooglePayPaymentMethodDto {
  @ApiProperty({ enum: ['CARD'] })
  type: 'CARD';
  @ApiProperty({ type: GooglePayCardParametersDto })
  parameters: GooglePayCardParametersDto;
  @ApiProperty({ type: GooglePayTokenizationDto })
  tokenizationSpecification: GooglePayTokenizationDto;
}

// What a frontend needs for Google Pay (PaymentsClient environment, IsReadyToPayRequest and the base of
// PaymentDataRequest): it adds transactionInfo and calls loadPaymentData, then sends the PaymentData to
// POST /v1/payments/google-pay.
export class GooglePayConfigResponseDto {
  @ApiProperty({ enum: ['TEST', 'PRODUCTION'] })
  environment: 'TEST' | 'PRODUCTION';
  @ApiProperty({ enum: [2] })
  apiVersion: 2;
  @ApiProperty({ enum: [0] })
  apiVersionMinor: 0;
  @ApiProperty({ type: GooglePayMerchantInfoDto })
  merchantInfo: GooglePayMerchantInfoDto;
  @ApiProperty({ type: [GooglePayPaymentMethodDto] })
  allowedPaymentMethods: GooglePayPaymentMethodDto[];
}
