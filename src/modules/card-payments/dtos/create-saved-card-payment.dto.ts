import { IsUUID } from 'class-validator';
import { PaymentFieldsDto } from '../../payments/dtos/payment-fields.dto';

export class CreateSavedCardPaymentDto extends PaymentFieldsDto {
  // our id of the saved card (GET /v1/accounts/:accountId/cards); it must belong to accountId
  @IsUUID()
  cardId: string;
}
