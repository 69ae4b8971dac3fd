import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_AMOUNT_MINOR } from '../../../common/validation/money.decorators';
import { PaymentStatus } from '../../payments/payment-status.enum';
import { AdminListQueryDto } from './admin-list-query.dto';
import { ToInt, ToStringList } from './list-query.decorators';

export class SearchPaymentsQueryDto extends AdminListQueryDto {
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
}
