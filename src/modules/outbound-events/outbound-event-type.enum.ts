// Every event type company endpoints can subscribe to (docs/webhooks-receiving.md lists what triggers each).
export enum OutboundEventType {
  // authorized (two-step terminal) or charged, from any unsettled state
  PAYMENT_SUCCEEDED = 'payment.succeeded',
  // an authorisation was charged (authorized → charged)
  PAYMENT_CAPTURED = 'payment.captured',
  // 3-D Secure: send the customer to data.nextAction.url
  PAYMENT_REQUIRES_ACTION = 'payment.requires_action',
  PAYMENT_FAILED = 'payment.failed',
  PAYMENT_CANCELLED = 'payment.cancelled',
  // refunded or partially_refunded (every further partial refund too)
  PAYMENT_REFUNDED = 'payment.refunded',
  // the bank may or may not have acted; a status check settles it (never treat as failed)
  PAYMENT_UNKNOWN = 'payment.unknown',
  PAYMENT_NEEDS_ATTENTION = 'payment.needs_attention',
  // the bank's amounts or status disagree with our ledger (refunded/charged more or less, or money
  // taken for a payment we hold as failed); also flags the payment
  PAYMENT_BANK_MISMATCH = 'payment.bank_mismatch',
  REFUND_SUCCEEDED = 'refund.succeeded',
  REFUND_FAILED = 'refund.failed',
  TRANSFER_SUCCEEDED = 'transfer.succeeded',
  TRANSFER_FAILED = 'transfer.failed',
}

export const OUTBOUND_EVENT_TYPES: readonly string[] = Object.values(OutboundEventType);

// an endpoint subscribed to "*" receives every type, including ones added later
export const ALL_EVENT_TYPES = '*';

export function isKnownEventType(type: string): boolean {
  return OUTBOUND_EVENT_TYPES.includes(type);
}
