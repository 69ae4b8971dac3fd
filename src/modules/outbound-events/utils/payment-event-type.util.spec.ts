import { allowedSources } from '../../payments/payment-state-machine';
import { PaymentStatus } from '../../payments/payment-status.enum';
import { OutboundEventType } from '../outbound-event-type.enum';
import { eventTypeForPaymentTransition } from './payment-event-type.util';

const S = PaymentStatus;
const E = OutboundEventType;

describe('eventTypeForPaymentTransition', () => {
  it.each([
    [S.CREATED, S.CHARGED, E.PAYMENT_SUCCEEDED],
    [S.CREATED, S.AUTHORIZED, E.PAYMENT_SUCCEEDED],
    [S.UNKNOWN, S.CHARGED, E.PAYMENT_SUCCEEDED],
    [S.REQUIRES_3DS, S.CHARGED, E.PAYMENT_SUCCEEDED],
    [S.PENDING, S.AUTHORIZED, E.PAYMENT_SUCCEEDED],
    [S.AUTHORIZED, S.CHARGED, E.PAYMENT_CAPTURED],
    [S.CREATED, S.REQUIRES_3DS, E.PAYMENT_REQUIRES_ACTION],
    [S.REQUIRES_3DS, S.FAILED, E.PAYMENT_FAILED],
    [S.AUTHORIZED, S.CANCELLED, E.PAYMENT_CANCELLED],
    [S.CHARGED, S.PARTIALLY_REFUNDED, E.PAYMENT_REFUNDED],
    [S.PARTIALLY_REFUNDED, S.PARTIALLY_REFUNDED, E.PAYMENT_REFUNDED],
    [S.PARTIALLY_REFUNDED, S.REFUNDED, E.PAYMENT_REFUNDED],
    [S.CREATED, S.UNKNOWN, E.PAYMENT_UNKNOWN],
  ])('%s → %s announces %s', (from, to, type) => {
    expect(eventTypeForPaymentTransition(from, to)).toBe(type);
  });

  it.each([
    [S.CREATED, S.PENDING],
    [S.REQUIRES_3DS, S.PENDING],
    [S.UNKNOWN, S.PENDING],
  ])('%s → %s is internal progress: no event', (from, to) => {
    expect(eventTypeForPaymentTransition(from, to)).toBeNull();
  });

  it('every legal move into a settled or final state announces something', () => {
    for (const to of [
      S.AUTHORIZED,
      S.CHARGED,
      S.REQUIRES_3DS,
      S.FAILED,
      S.CANCELLED,
      S.PARTIALLY_REFUNDED,
      S.REFUNDED,
      S.UNKNOWN,
    ]) {
      for (const from of allowedSources(to)) expect(eventTypeForPaymentTransition(from, to)).not.toBeNull();
    }
  });
});
