import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';

export class ListAdminActionsQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  // the "at" of the last action of the previous page
  @IsOptional()
  @IsISO8601({ strict: true })
  before?: string;
}
