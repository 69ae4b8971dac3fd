import { FINAL_PAYMENT_STATUSES, PaymentStatus } from './payment-status.enum';

const S = PaymentStatus;

// The only legal moves. Final states (refunded, cancelled, failed) have none; nothing moves back
// from a settled state (authorized/charged) to an unsettled one.
const TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  [S.CREATED]: [S.PENDING, S.REQUIRES_3DS, S.AUTHORIZED, S.CHARGED, S.FAILED, S.UNKNOWN, S.CANCELLED],
  [S.PENDING]: [
    S.REQUIRES_3DS,
    S.AUTHORIZED,
    S.CHARGED,
    S.FAILED,
    S.UNKNOWN,
    S.CANCELLED,
    S.PARTIALLY_REFUNDED,
    S.REFUNDED,
  ],
  [S.REQUIRES_3DS]: [S.PENDING, S.AUTHORIZED, S.CHARGED, S.FAILED, S.UNKNOWN, S.CANCELLED],
  [S.UNKNOWN]: [
    S.PENDING,
    S.REQUIRES_3DS,
    S.AUTHORIZED,
    S.CHARGED,
    S.FAILED,
    S.CANCELLED,
    S.PARTIALLY_REFUNDED,
    S.REFUNDED,
  ],
  // an authorisation can be charged, cancelled or expire (CANCEL_OLD); a status check may find it already refunded
  [S.AUTHORIZED]: [S.CHARGED, S.CANCELLED, S.PARTIALLY_REFUNDED, S.REFUNDED],
  [S.CHARGED]: [S.PARTIALLY_REFUNDED, S.REFUNDED],
  // a further partial refund keeps the status and changes the amount
  [S.PARTIALLY_REFUNDED]: [S.PARTIALLY_REFUNDED, S.REFUNDED],
  [S.REFUNDED]: [],
  [S.CANCELLED]: [],
  [S.FAILED]: [],
};

export function isFinal(status: PaymentStatus): boolean {
  return FINAL_PAYMENT_STATUSES.has(status);
}

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function allowedSources(to: PaymentStatus): PaymentStatus[] {
  return (Object.keys(TRANSITIONS) as PaymentStatus[]).filter((from) => TRANSITIONS[from].includes(to));
}

// ePay statusName (S0, API.md §7) onto ours. REFUND with part of the amount left is a partial refund.
export function statusFromEpay(
  statusName: string | undefined,
  amounts: { amountMinor?: number; orgAmountMinor?: number } = {},
): PaymentStatus | undefined {
  switch (statusName?.toUpperCase()) {
    case 'NEW':
      return S.PENDING;
    case 'AUTH':
      return S.AUTHORIZED;
    case 'CHARGE':
      return S.CHARGED;
    case 'REFUND': {
      const { amountMinor, orgAmountMinor } = amounts;
      const partial =
        amountMinor !== undefined && orgAmountMinor !== undefined && amountMinor > 0 && amountMinor < orgAmountMinor;
      return partial ? S.PARTIALLY_REFUNDED : S.REFUNDED;
    }
    case 'CANCEL':
    case 'CANCEL_OLD':
      return S.CANCELLED;
    case 'FAILED':
    case 'REJECT':
    case '3D':
      return S.FAILED;
    default:
      return undefined;
  }
}
