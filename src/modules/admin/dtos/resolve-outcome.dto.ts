import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';

export const RESOLVE_OUTCOMES = ['failed', 'succeeded'] as const;
export type ResolveOutcome = (typeof RESOLVE_OUTCOMES)[number];

// An operator's verdict on a money-moving call the bank's status could not settle (refund, charge,
// cancel, transfer), after looking at the bank's own records.
export class ResolveOutcomeDto {
  @ApiProperty({ enum: RESOLVE_OUTCOMES })
  @IsIn(RESOLVE_OUTCOMES)
  outcome: ResolveOutcome;

  @IsString()
  @Length(3, 500)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}
