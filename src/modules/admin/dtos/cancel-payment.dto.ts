import { IsString, Length, Matches } from 'class-validator';
import { MaskCardNumbers } from '../../../common/validation/mask-card-numbers.decorator';

export class CancelPaymentDto {
  @IsString()
  @Length(3, 500)
  @Matches(/\S/, { message: 'must not be blank' })
  @MaskCardNumbers()
  reason: string;
}
