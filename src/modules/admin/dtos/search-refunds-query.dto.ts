import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsIn, IsOptional, IsUUID } from 'class-validator';
import { RefundStatus } from '../refund-status.enum';
import { AdminListQueryDto } from './admin-list-query.dto';
import { ToStringList } from './list-query.decorators';

export class SearchRefundsQueryDto extends AdminListQueryDto {
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
}
