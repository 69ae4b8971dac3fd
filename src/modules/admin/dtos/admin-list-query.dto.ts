import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsInstant, ToBool, ToInt } from './list-query.decorators';

// What every back-office list takes: a creation window, the attention flag and a keyset page.
export class AdminListQueryDto {
  @ApiPropertyOptional({ description: 'created at or after (ISO-8601)' })
  @IsOptional()
  @IsInstant()
  createdFrom?: string;

  @ApiPropertyOptional({ description: 'created before (ISO-8601, exclusive)' })
  @IsOptional()
  @IsInstant()
  createdTo?: string;

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
