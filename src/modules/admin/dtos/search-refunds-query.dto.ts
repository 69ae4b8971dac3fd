import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { RefundStatus } from '../refund-status.enum';
import { IsInstant, ToBool, ToInt, ToStringList } from './list-query.decorators';

export class SearchRefundsQueryDto {
  @ApiPropertyOptional({ enum: RefundStatus, isArray: true })
  @IsOptional()
  @ToStringList()
  @ArrayMaxSize(4)
  @IsIn(Object.values(RefundStatus), {
    each: true,
    message: `each value must be one of ${Object.values(RefundStatus).join(', ')}`,
  })
  status?: RefundStatus[];

  @IsOptional()
  @IsUUID()
  paymentId?: string;

  @IsOptional()
  @IsInstant()
  createdFrom?: string;

  @IsOptional()
  @IsInstant()
  createdTo?: string;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  needsAttention?: boolean;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}
