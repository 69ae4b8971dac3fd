export enum PaymentStatus {
  // row committed, the bank not (yet) answered
  CREATED = 'created',
  // the bank has it, outcome not settled (NEW, in progress)
  PENDING = 'pending',
  REQUIRES_3DS = 'requires_3ds',
  // funds held (two-step terminal), not yet charged
  AUTHORIZED = 'authorized',
  CHARGED = 'charged',
  PARTIALLY_REFUNDED = 'partially_refunded',
  REFUNDED = 'refunded',
  CANCELLED = 'cancelled',
  FAILED = 'failed',
  // the bank may or may not have acted (timeout, 5xx, garbled reply): only a status check decides
  UNKNOWN = 'unknown',
}

export const FINAL_PAYMENT_STATUSES: ReadonlySet<PaymentStatus> = new Set([
  PaymentStatus.REFUNDED,
  PaymentStatus.CANCELLED,
  PaymentStatus.FAILED,
]);

// Not final and the outcome is still the bank's to tell: the poller re-checks these.
export const IN_FLIGHT_PAYMENT_STATUSES: readonly PaymentStatus[] = [
  PaymentStatus.CREATED,
  PaymentStatus.PENDING,
  PaymentStatus.REQUIRES_3DS,
  PaymentStatus.UNKNOWN,
];

export enum PaymentMethod {
  CARD = 'card',
  SAVED_CARD = 'saved_card',
  GOOGLE_PAY = 'google_pay',
  APPLE_PAY = 'apple_pay',
  WIDGET = 'widget',
}

export enum PaymentEventSource {
  API = 'api',
  THREE_DS = '3ds',
  POST_LINK = 'postLink',
  POLLER = 'poller',
  STATUS_CHECK = 'status_check',
  ADMIN = 'admin',
}
