import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';

export const MISMATCH_RESOLUTIONS = ['refund_at_bank', 'record_as_paid'] as const;
export type MismatchResolution = (typeof MISMATCH_RESOLUTIONS)[number];

// What an operator does with a payment we failed as "not found at the bank" that the bank later
// showed charged or authorised.
export class ResolveMismatchDto {
  @ApiProperty({ enum: MISMATCH_RESOLUTIONS })
  @IsIn(MISMATCH_RESOLUTIONS)
  resolution: MismatchResolution;

  @IsString()
  @Length(3, 500)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}
