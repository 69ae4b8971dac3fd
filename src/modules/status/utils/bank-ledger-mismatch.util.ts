import type { EpayTransaction } from '../../../gateway/gateway-api.types';

// Our refund ledger for one payment, in minor units: refunds known to have succeeded, and refunds
// whose fate is open (pending/unknown: they may or may not have reached the bank).
export interface LedgerSnapshot {
  succeeded: number;
  open: number;
}

// Does the bank's record of a charged payment (CHARGE/REFUND with what is left) agree with our
// ledger? Amounts only the open refunds can explain agree. `before` is the ledger read before the
// status request and `after` the one read after its answer: a refund that settles in between can
// make neither a "less" nor a "more" alarm. Returns the reason to flag, or null.
export function bankLedgerMismatch(
  capturedAmount: number,
  tx: Pick<EpayTransaction, 'statusName' | 'amountMinor'>,
  before: LedgerSnapshot,
  after: LedgerSnapshot,
): string | null {
  const status = tx.statusName?.toUpperCase();
  if ((status !== 'CHARGE' && status !== 'REFUND') || capturedAmount <= 0) return null;
  const left = tx.amountMinor ?? (status === 'REFUND' ? 0 : capturedAmount);
  if (left > capturedAmount) {
    return `bank mismatch: the bank shows ${left} charged, our ledger ${capturedAmount}`;
  }
  const bankRefunded = capturedAmount - left;
  const least = Math.min(before.succeeded, after.succeeded);
  const most = Math.max(before.succeeded + before.open, after.succeeded + after.open);
  if (bankRefunded >= least && bankRefunded <= most) return null;
  const open = after.open ? ` (+${after.open} not yet confirmed)` : '';
  return `bank mismatch: the bank shows ${bankRefunded} refunded of ${capturedAmount}, our ledger ${after.succeeded}${open}`;
}
