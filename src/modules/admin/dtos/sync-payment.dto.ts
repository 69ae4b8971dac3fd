import { IsOptional, IsString, Length } from 'class-validator';
import { MaskCardNumbers } from '../../../common/validation/mask-card-numbers.decorator';

export class SyncPaymentDto {
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @MaskCardNumbers()
  reason?: string;
}
