import { PaymentStatus } from '../../payments/payment-status.enum';
import { OutboundEventType } from '../outbound-event-type.enum';

const S = PaymentStatus;

// Which event a payment status change announces; null = internal progress the company need not act on
// (created → pending, requires_3ds → pending after the 3-D Secure callback, unknown → pending).
export function eventTypeForPaymentTransition(from: PaymentStatus, to: PaymentStatus): OutboundEventType | null {
  switch (to) {
    case S.AUTHORIZED:
      return OutboundEventType.PAYMENT_SUCCEEDED;
    case S.CHARGED:
      return from === S.AUTHORIZED ? OutboundEventType.PAYMENT_CAPTURED : OutboundEventType.PAYMENT_SUCCEEDED;
    case S.REQUIRES_3DS:
      return OutboundEventType.PAYMENT_REQUIRES_ACTION;
    case S.FAILED:
      return OutboundEventType.PAYMENT_FAILED;
    case S.CANCELLED:
      return OutboundEventType.PAYMENT_CANCELLED;
    case S.PARTIALLY_REFUNDED:
    case S.REFUNDED:
      return OutboundEventType.PAYMENT_REFUNDED;
    case S.UNKNOWN:
      return OutboundEventType.PAYMENT_UNKNOWN;
    case S.CREATED:
    case S.PENDING:
      return null;
  }
}
