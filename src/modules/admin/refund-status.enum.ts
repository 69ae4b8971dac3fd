// A refund's lifecycle; admin charge/cancel operations (payment_operations) go through the same states.
export enum RefundStatus {
  // committed, the bank not (yet) answered
  PENDING = 'pending',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  // the bank may or may not have acted (timeout, 5xx, garbled reply): reconciled, never guessed
  UNKNOWN = 'unknown',
}

// still counted against the charge and still on a reconciliation queue
export const OPEN_REFUND_STATUSES: readonly RefundStatus[] = [RefundStatus.PENDING, RefundStatus.UNKNOWN];
