import { IsString, Length, Matches } from 'class-validator';

export class CancelPaymentDto {
  @IsString()
  @Length(3, 500)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}
