import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { AdminListQueryDto } from './admin-list-query.dto';
import { ToStringList } from './list-query.decorators';

export class SearchTransfersQueryDto extends AdminListQueryDto {
  // the P2P module owns the status names; only their shape is checked here
  @IsOptional()
  @ToStringList()
  @Matches(/^[a-z_0-9]{1,32}$/, { each: true, message: 'each value must be a status name' })
  status?: string[];

  @IsOptional()
  @IsString()
  @Length(1, 64)
  accountId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  orderId?: string;
}
