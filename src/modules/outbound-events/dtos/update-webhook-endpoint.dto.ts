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
import { SUBSCRIBABLE_EVENT_TYPES } from './create-webhook-endpoint.dto';
import { MaskCardNumbers } from '../../../common/validation/mask-card-numbers.decorator';

// Changes apply to events recorded from now on; deliveries already queued keep their endpoint.
export class UpdateWebhookEndpointDto {
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiProperty({ enum: SUBSCRIBABLE_EVENT_TYPES, isArray: true, required: false })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(SUBSCRIBABLE_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(SUBSCRIBABLE_EVENT_TYPES, { each: true })
  eventTypes?: string[];

  // null clears it
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @MaskCardNumbers()
  description?: string | null;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}
