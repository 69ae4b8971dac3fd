import { PaymentFieldsDto } from '../../payments/dtos/payment-fields.dto';

// The widget collects the card itself: only the usual payment fields.
export class CreateWidgetPaymentDto extends PaymentFieldsDto {}
