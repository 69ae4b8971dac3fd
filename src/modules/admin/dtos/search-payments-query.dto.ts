import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_AMOUNT_MINOR } from '../../../common/validation/money.decorators';
import { PaymentStatus } from '../../payments/payment-status.enum';
import { IsInstant, ToBool, ToInt, ToStringList } from './list-query.decorators';

export class SearchPaymentsQueryDto {
  @ApiPropertyOptional({
    description: 'one or several: ?status=charged&status=refunded or ?status=charged,refunded',
    enum: PaymentStatus,
    isArray: true,
  })
  @IsOptional()
  @ToStringList()
  @ArrayMaxSize(10)
  @IsIn(Object.values(PaymentStatus), {
    each: true,
    message: `each value must be one of ${Object.values(PaymentStatus).join(', ')}`,
  })
  status?: PaymentStatus[];

  @ApiPropertyOptional({ description: 'created at or after (ISO-8601)' })
  @IsOptional()
  @IsInstant()
  createdFrom?: string;

  @ApiPropertyOptional({ description: 'created before (ISO-8601, exclusive)' })
  @IsOptional()
  @IsInstant()
  createdTo?: string;

  @IsOptional()
  @Matches(/^\d{6,15}$/, { message: 'must be 6 to 15 digits' })
  invoiceId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  accountId?: string;

  @ApiPropertyOptional({ description: 'ePay reference (RRN) as the bank reported it' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  reference?: string;

  @ApiPropertyOptional({ description: 'ePay transaction id (UUID of the bank)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  epayTransactionId?: string;

  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'must be the last four digits of the card' })
  cardLast4?: string;

  @ApiPropertyOptional({ description: 'minor units, inclusive' })
  @IsOptional()
  @ToInt()
  @IsInt({ message: 'must be an integer number of minor units' })
  @Min(0)
  @Max(MAX_AMOUNT_MINOR)
  amountMin?: number;

  @ApiPropertyOptional({ description: 'minor units, inclusive' })
  @IsOptional()
  @ToInt()
  @IsInt({ message: 'must be an integer number of minor units' })
  @Min(0)
  @Max(MAX_AMOUNT_MINOR)
  amountMax?: number;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  needsAttention?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}
