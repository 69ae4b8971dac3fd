import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class ReplayWebhookEventDto {
  // only to this endpoint (also one created after the event, or one not subscribed to its type);
  // default: every endpoint that had a delivery of it plus every enabled endpoint subscribed to its type now
  @IsOptional()
  @IsUUID()
  endpointId?: string;
}

export class ReplayWebhookEventsDto {
  // events created at or after (ISO 8601)
  @IsISO8601({ strict: true })
  from: string;

  // events created before (ISO 8601)
  @IsISO8601({ strict: true })
  to: string;

  // which deliveries to send again: dead letters, ones still waiting for a retry, or both (default)
  @ApiProperty({ enum: ['dead', 'failed'], required: false })
  @IsOptional()
  @IsIn(['dead', 'failed'])
  status?: 'dead' | 'failed';

  @IsOptional()
  @IsUUID()
  endpointId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;
}

export class ReplayResultDto {
  // deliveries queued again (due now)
  replayed: number;
}
