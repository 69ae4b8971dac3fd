import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsInstant } from './list-query.decorators';

export class ReconciliationQueryDto {
  @ApiProperty({ description: 'period start, inclusive (ISO-8601)' })
  @IsInstant()
  from: string;

  @ApiProperty({ description: 'period end, exclusive (ISO-8601); at most ADMIN_RECONCILIATION_MAX_DAYS after from' })
  @IsInstant()
  to: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'or Accept: text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
