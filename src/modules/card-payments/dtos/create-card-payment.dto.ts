import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBase64, IsBoolean, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { PaymentFieldsDto } from '../../payments/dtos/payment-fields.dto';
import { CardDetailsDto } from './card-details.dto';

export class CreateCardPaymentDto extends PaymentFieldsDto {
  @ApiPropertyOptional({ description: 'card data; we build the cryptogram. Give either card or cryptogram.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CardDetailsDto)
  card?: CardDetailsDto;

  @ApiPropertyOptional({ description: 'a cryptogram built with GET /v1/crypto/public-key (RSA PKCS#1 v1.5, base64)' })
  @IsOptional()
  @IsString()
  @Length(16, 4096)
  @IsBase64()
  cryptogram?: string;

  // ask ePay to save the card for accountId (its cardID is kept for later saved-card payments)
  @IsOptional()
  @IsBoolean()
  saveCard?: boolean;
}
