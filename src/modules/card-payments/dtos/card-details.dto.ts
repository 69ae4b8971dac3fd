import { Transform } from 'class-transformer';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MaskCardNumbers } from '../../../common/validation/mask-card-numbers.decorator';

const digitsOnly = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/[\s-]/g, '') : value);

// Card data lives only in this request: it is turned into a cryptogram and dropped.
export class CardDetailsDto {
  @Transform(digitsOnly)
  @IsString()
  @Matches(/^\d{12,19}$/, { message: 'must be 12 to 19 digits' })
  number: string;

  @IsInt()
  @Min(1)
  @Max(12)
  expMonth: number;

  // 2028 or 28
  @IsInt()
  @Min(0)
  @Max(2099)
  expYear: number;

  @IsString()
  @Matches(/^\d{3,4}$/, { message: 'must be 3 or 4 digits' })
  cvc: string;

  @IsString()
  @Length(1, 100)
  @MaskCardNumbers()
  holder: string;
}
