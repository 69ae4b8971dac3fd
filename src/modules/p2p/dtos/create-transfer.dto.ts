import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsObject, IsOptional, IsString, IsUUID, Matches, ValidateNested } from 'class-validator';
import { CardDetailsDto } from '../../card-payments/dtos/card-details.dto';
import { PaymentFieldsDto } from '../../payments/dtos/payment-fields.dto';

const digitsOnly = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/[\s-]/g, '') : value);

// P2P sends card numbers to the bank in clear (no cryptogram, API.md §11): they live only in this
// request and the one ePay call, never in a row, a log line or an exchange record.
export class TransferSenderDto {
  @ApiPropertyOptional({ description: 'the card the money comes from; give either card or cardId' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CardDetailsDto)
  card?: CardDetailsDto;

  @ApiPropertyOptional({ description: 'our id of a card saved for accountId (GET /v1/accounts/:accountId/cards)' })
  @IsOptional()
  @IsUUID()
  cardId?: string;

  // ask ePay to save the sender card for accountId (with card only); it then appears in the saved cards
  @IsOptional()
  @IsBoolean()
  save?: boolean;
}

export class ReceiverCardDto {
  @Transform(digitsOnly)
  @IsString()
  @Matches(/^\d{12,19}$/, { message: 'must be 12 to 19 digits' })
  number: string;
}

export class TransferReceiverDto {
  @ApiPropertyOptional({ description: 'the card the money goes to (its number only); give either card or cardId' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReceiverCardDto)
  card?: ReceiverCardDto;

  @ApiPropertyOptional({ description: 'our id of a card saved for the same accountId' })
  @IsOptional()
  @IsUUID()
  cardId?: string;
}

export class CreateTransferDto extends PickType(PaymentFieldsDto, [
  'amount',
  'currency',
  'description',
  'accountId',
  'email',
  'backLink',
  'failureBackLink',
  'metadata',
] as const) {
  @ApiPropertyOptional({
    description: '6–15 digits; generated when absent. Shares numbering with payment invoice ids.',
  })
  @IsOptional()
  @Matches(/^\d{6,15}$/, { message: 'must be 6 to 15 digits' })
  orderId?: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => TransferSenderDto)
  sender: TransferSenderDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => TransferReceiverDto)
  receiver: TransferReceiverDto;
}
