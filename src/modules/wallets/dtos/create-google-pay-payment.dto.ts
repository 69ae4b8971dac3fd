import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateNested } from 'class-validator';
import { PaymentFieldsDto } from '../../payments/dtos/payment-fields.dto';
import { GooglePayPaymentDataDto } from './google-pay-payment-data.dto';

export class CreateGooglePayPaymentDto extends PaymentFieldsDto {
  @ApiProperty({
    description:
      'the PaymentData object from Google Pay loadPaymentData(), as received (see GET /v1/wallets/google-pay/config)',
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => GooglePayPaymentDataDto)
  paymentData: GooglePayPaymentDataDto;
}
