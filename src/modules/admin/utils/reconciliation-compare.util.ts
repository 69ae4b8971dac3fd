import { PaymentStatus } from '../../payments/payment-status.enum';

// Our payment as the reconciliation report sees it (minor units).
export interface OurPaymentRecord {
  id: string;
  invoiceId: string;
  epayTransactionId: string | null;
  status: PaymentStatus;
  amount: number;
  capturedAmount: number;
  refundedAmount: number;
  currency: string;
}

// One ePay transaction, from the /operations registry or a status check (minor units).
export interface BankRecord {
  id?: string;
  invoiceId?: string;
  status?: string;
  amountMinor?: number;
  orgAmountMinor?: number;
  currency?: string;
}

export type MismatchKind = 'missing_at_bank' | 'missing_here' | 'status_differs' | 'amount_differs';

export interface Mismatch {
  kind: MismatchKind;
  paymentId: string | null;
  invoiceId: string | null;
  epayTransactionId: string | null;
  ourStatus: string | null;
  bankStatus: string | null;
  ourAmount: number | null;
  bankAmount: number | null;
  currency: string | null;
  detail: string;
}

// Money states, compared by meaning rather than by name: ePay keeps CHARGE while partial refunds
// lower the amount (S0/sandbox), and REFUND with something left is a partial refund.
type MoneyState = 'in_flight' | 'authorized' | 'charged' | 'refunded' | 'cancelled' | 'failed' | 'unknown';

export function ourMoneyState(status: PaymentStatus): MoneyState {
  switch (status) {
    case PaymentStatus.AUTHORIZED:
      return 'authorized';
    case PaymentStatus.CHARGED:
    case PaymentStatus.PARTIALLY_REFUNDED:
      return 'charged';
    case PaymentStatus.REFUNDED:
      return 'refunded';
    case PaymentStatus.CANCELLED:
      return 'cancelled';
    case PaymentStatus.FAILED:
      return 'failed';
    default:
      return 'in_flight';
  }
}

export function bankMoneyState(record: BankRecord): MoneyState {
  switch (record.status?.toUpperCase()) {
    case 'NEW':
      return 'in_flight';
    case 'AUTH':
      return 'authorized';
    case 'CHARGE':
      return 'charged';
    case 'REFUND':
      return record.amountMinor !== undefined && record.amountMinor > 0 ? 'charged' : 'refunded';
    case 'CANCEL':
    case 'CANCEL_OLD':
      return 'cancelled';
    case 'FAILED':
    case 'REJECT':
    case '3D':
      return 'failed';
    default:
      return 'unknown';
  }
}

// States in which the bank must have a record of the payment.
const MUST_EXIST_AT_BANK: ReadonlySet<MoneyState> = new Set(['authorized', 'charged', 'refunded', 'cancelled']);

function mismatch(
  kind: MismatchKind,
  ours: OurPaymentRecord | undefined,
  bank: BankRecord | undefined,
  detail: string,
  amounts?: [number | null, number | null],
): Mismatch {
  return {
    kind,
    paymentId: ours?.id ?? null,
    invoiceId: ours?.invoiceId ?? bank?.invoiceId ?? null,
    epayTransactionId: ours?.epayTransactionId ?? bank?.id ?? null,
    ourStatus: ours?.status ?? null,
    bankStatus: bank?.status ?? null,
    ourAmount: amounts ? amounts[0] : (ours?.amount ?? null),
    bankAmount: amounts ? amounts[1] : (bank?.amountMinor ?? null),
    currency: ours?.currency.trim() ?? bank?.currency ?? null,
    detail,
  };
}

// Compares one of our payments with what the bank has for it (undefined: nothing).
export function comparePayment(ours: OurPaymentRecord, bank: BankRecord | undefined): Mismatch[] {
  const mine = ourMoneyState(ours.status);
  if (!bank) {
    if (!MUST_EXIST_AT_BANK.has(mine)) return [];
    return [mismatch('missing_at_bank', ours, undefined, `we have it ${ours.status}; the bank has no record`)];
  }
  const theirs = bankMoneyState(bank);
  if (theirs !== mine) {
    const detail = mine === 'in_flight' ? 'not reconciled with the bank yet' : `ours ${mine}, bank ${theirs}`;
    return [mismatch('status_differs', ours, bank, detail)];
  }
  const out: Mismatch[] = [];
  const currency = ours.currency.trim();
  if (bank.currency && bank.currency.toUpperCase() !== currency) {
    out.push(mismatch('amount_differs', ours, bank, `currency: ours ${currency}, bank ${bank.currency}`));
  }
  if (bank.orgAmountMinor !== undefined && bank.orgAmountMinor !== ours.amount) {
    out.push(mismatch('amount_differs', ours, bank, 'original amount', [ours.amount, bank.orgAmountMinor]));
  }
  // what is still with the merchant: the hold, or the charge less refunds
  const held = mine === 'authorized';
  const expected = held
    ? ours.amount
    : mine === 'charged' || mine === 'refunded'
      ? ours.capturedAmount - ours.refundedAmount
      : undefined;
  if (expected !== undefined && bank.amountMinor !== undefined && bank.amountMinor !== expected) {
    const what = held ? 'authorised amount' : 'amount after charge and refunds';
    out.push(mismatch('amount_differs', ours, bank, what, [expected, bank.amountMinor]));
  }
  return out;
}

export function missingHere(bank: BankRecord): Mismatch {
  return mismatch('missing_here', undefined, bank, 'the bank has it; we have no payment with this invoice id');
}

export function isBankFailure(record: BankRecord): boolean {
  return bankMoneyState(record) === 'failed';
}

// Several attempts can share an invoice id (retries after declines): the one we know by id, else the
// last one that moved money, else the last one.
export function pickBankRecord(
  records: readonly BankRecord[],
  epayTransactionId: string | null,
): BankRecord | undefined {
  if (epayTransactionId) {
    const exact = records.find((r) => r.id === epayTransactionId);
    if (exact) return exact;
  }
  const moved = records.filter((r) => !isBankFailure(r));
  return moved[moved.length - 1] ?? records[records.length - 1];
}
