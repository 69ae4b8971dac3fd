import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class RotateWebhookSecretDto {
  // hours the old secret keeps signing next to the new one (a second v1= signature); 0 = revoke it now
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(168)
  graceHours?: number;
}
