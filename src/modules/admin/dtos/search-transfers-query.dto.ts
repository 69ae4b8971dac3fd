import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsInstant, ToBool, ToInt, ToStringList } from './list-query.decorators';

export class SearchTransfersQueryDto {
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
