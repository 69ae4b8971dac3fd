import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUrl, Length, Matches } from 'class-validator';
import { IsSmallJsonObject } from '../../../common/validation/json-size.decorator';
import { IsCurrencyCode, IsMinorAmount } from '../../../common/validation/money.decorators';
import { MaskCardNumbers } from '../../../common/validation/mask-card-numbers.decorator';

const URL_OPTIONS = { require_protocol: true, protocols: ['http', 'https'], require_tld: false };

// Fields every payment method shares (ePay body fields, S0/S2/API.md §3).
export class PaymentFieldsDto {
  @IsMinorAmount()
  amount: number;

  @IsCurrencyCode()
  currency: string = 'KZT';

  @IsString()
  @Length(1, 500)
  @MaskCardNumbers()
  description: string;

  // the customer's id in the company's system; saved cards belong to it
  @IsString()
  @Length(1, 64)
  @Matches(/^[\w.@:+-]+$/, { message: 'may contain letters, digits and . _ @ : + - only' })
  accountId: string;

  @IsOptional()
  @IsEmail()
  @Length(3, 254)
  email?: string;

  @IsOptional()
  @Matches(/^\+?\d{7,15}$/, { message: 'must be 7 to 15 digits, optionally starting with +' })
  phone?: string;

  // the payer's name as ePay shows it
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @MaskCardNumbers()
  name?: string;

  @ApiPropertyOptional({ description: '6–15 digits; generated when absent. Its last six digits must also be unused.' })
  @IsOptional()
  @Matches(/^\d{6,15}$/, { message: 'must be 6 to 15 digits' })
  invoiceId?: string;

  @IsOptional()
  @Matches(/^\d{6,15}$/, { message: 'must be 6 to 15 digits' })
  invoiceIdAlt?: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @Length(1, 2048)
  backLink?: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @Length(1, 2048)
  failureBackLink?: string;

  @IsOptional()
  @IsIn(['rus', 'kaz', 'eng'])
  language?: 'rus' | 'kaz' | 'eng';

  @ApiPropertyOptional({ description: 'free JSON (≤ 2 KB), sent to ePay as `data` and returned with the payment' })
  @IsOptional()
  @IsSmallJsonObject(2048)
  @MaskCardNumbers()
  metadata?: Record<string, unknown>;
}
