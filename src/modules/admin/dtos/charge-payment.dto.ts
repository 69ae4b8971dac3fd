import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsMinorAmount } from '../../../common/validation/money.decorators';
import { MaskCardNumbers } from '../../../common/validation/mask-card-numbers.decorator';

export class ChargePaymentDto {
  // minor units; omitted = the whole authorisation. Less than that is a partial charge (the rest of
  // the hold is released by the bank).
  @IsMinorAmount({ optional: true })
  amount?: number;

  @IsOptional()
  @IsString()
  @Length(3, 500)
  @Matches(/\S/, { message: 'must not be blank' })
  @MaskCardNumbers()
  reason?: string;
}
