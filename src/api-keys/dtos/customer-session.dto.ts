import { PickType } from '@nestjs/swagger';
import { PaymentFieldsDto } from '../../modules/payments/dtos/payment-fields.dto';

// accountId with exactly the rules payments use, so a session always matches its payments' field
export class CreateCustomerSessionDto extends PickType(PaymentFieldsDto, ['accountId'] as const) {}

export class CustomerSessionResponseDto {
  id: string;
  // the cs_… key: hand it to that customer's browser or app
  key: string;
  accountId: string;
  expiresAt: string;
}
