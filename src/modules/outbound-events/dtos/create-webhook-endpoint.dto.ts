import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { ALL_EVENT_TYPES, OUTBOUND_EVENT_TYPES } from '../outbound-event-type.enum';
import { MaskCardNumbers } from '../../../common/validation/mask-card-numbers.decorator';

export const SUBSCRIBABLE_EVENT_TYPES = [...OUTBOUND_EVENT_TYPES, ALL_EVENT_TYPES];

export class CreateWebhookEndpointDto {
  // where events are POSTed; https in production (plain http only outside production)
  @IsString()
  @MaxLength(2048)
  url: string;

  // event types to receive, or ["*"] for every type
  @ApiProperty({ enum: SUBSCRIBABLE_EVENT_TYPES, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(SUBSCRIBABLE_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(SUBSCRIBABLE_EVENT_TYPES, { each: true })
  eventTypes: string[];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @MaskCardNumbers()
  description?: string;

  // false creates it paused
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}
