import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { DeliveryStatus } from '../outbound-delivery.entity';

export class ListWebhookEventsQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  // events with at least one delivery in this state
  @ApiProperty({ enum: DeliveryStatus, required: false })
  @IsOptional()
  @IsEnum(DeliveryStatus)
  status?: DeliveryStatus;

  @IsOptional()
  @IsUUID()
  endpointId?: string;

  // a payment, refund or transfer id
  @IsOptional()
  @IsString()
  @MaxLength(100)
  aggregateId?: string;

  // created at or after (ISO 8601)
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  // created before (ISO 8601)
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  // nextCursor of the previous page
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class ListDeliveriesQueryDto {
  @ApiProperty({ enum: DeliveryStatus, required: false })
  @IsOptional()
  @IsEnum(DeliveryStatus)
  status?: DeliveryStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
