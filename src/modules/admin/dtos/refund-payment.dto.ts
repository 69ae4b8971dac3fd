import { IsString, Length, Matches } from 'class-validator';
import { IsMinorAmount } from '../../../common/validation/money.decorators';
import { MaskCardNumbers } from '../../../common/validation/mask-card-numbers.decorator';

export class RefundPaymentDto {
  // minor units; omitted = everything still refundable
  @IsMinorAmount({ optional: true })
  amount?: number;

  // why: kept with the refund and in the payment's timeline
  @IsString()
  @Length(3, 500)
  @Matches(/\S/, { message: 'must not be blank' })
  @MaskCardNumbers()
  reason: string;
}
