import { PaymentStatus } from '../../payments/payment-status.enum';
import { PaymentOperationKind } from '../payment-operation-kind.enum';

export type OperationVerdict = 'succeeded' | 'failed' | 'open';

const CHARGED: ReadonlySet<PaymentStatus> = new Set([
  PaymentStatus.CHARGED,
  PaymentStatus.PARTIALLY_REFUNDED,
  PaymentStatus.REFUNDED,
]);

// The fate of an admin charge/cancel whose reply was lost, read from the payment after a status
// check. Charge and cancel carry no id of ours, so they are never re-sent: the bank's status decides.
// An authorisation the bank still shows as AUTH once the call can no longer be in flight was not
// charged/cancelled.
export function operationVerdict(
  kind: PaymentOperationKind,
  status: PaymentStatus,
  callCannotBeInFlight: boolean,
): OperationVerdict {
  if (status === PaymentStatus.AUTHORIZED) return callCannotBeInFlight ? 'failed' : 'open';
  if (kind === PaymentOperationKind.CHARGE) {
    if (CHARGED.has(status)) return 'succeeded';
    if (status === PaymentStatus.CANCELLED || status === PaymentStatus.FAILED) return 'failed';
    return 'open';
  }
  if (status === PaymentStatus.CANCELLED) return 'succeeded';
  if (CHARGED.has(status) || status === PaymentStatus.FAILED) return 'failed';
  return 'open';
}
