// Refund arithmetic, all in integer minor units. Pure, so the money rules are unit-tested on their own.

export type RefundLedgerStatus = 'pending' | 'succeeded' | 'failed' | 'unknown';

export interface LedgerTotals {
  pending: number;
  unknown: number;
  succeeded: number;
  failed: number;
}

export function ledgerTotals(rows: readonly { status: RefundLedgerStatus; amount: number }[]): LedgerTotals {
  const totals: LedgerTotals = { pending: 0, unknown: 0, succeeded: 0, failed: 0 };
  for (const row of rows) totals[row.status] += row.amount;
  return totals;
}

// What may still be refunded: the charged amount minus every refund that is not failed. Pending and
// unknown refunds count as spent (they may have reached the bank). refunded_amount can exceed our
// succeeded sum when a status check saw refunds made elsewhere (the bank's cabinet): the larger wins.
export function refundableAmount(capturedAmount: number, refundedAmount: number, totals: LedgerTotals): number {
  const spent = totals.pending + totals.unknown + Math.max(refundedAmount, totals.succeeded);
  return Math.max(0, capturedAmount - spent);
}

// payments.refunded_amount after a refund succeeded: monotone (a status check may already have
// counted it from the bank's amount drop), never above the charge.
export function refundedAfterSuccess(capturedAmount: number, refundedAmount: number, succeededSum: number): number {
  return Math.min(capturedAmount, Math.max(refundedAmount, succeededSum));
}

// "KZT:1000,USD:500" → { KZT: 1000, USD: 500 }
export function parseRefundMinimums(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const match = /^\s*([A-Za-z]{3})\s*:\s*(\d+)\s*$/.exec(part);
    if (match) out[match[1].toUpperCase()] = Number(match[2]);
  }
  return out;
}

// ePay documents a minimum only for KZT (10 KZT, API.md §6). Other currencies: no minimum of ours
// beyond one minor unit unless configured; the bank's refusal then ends the refund as failed.
export function minimumRefund(currency: string, minimums: Readonly<Record<string, number>>): number {
  return Math.max(1, minimums[currency.trim().toUpperCase()] ?? 1);
}

export interface RefundEvidenceInput {
  // our captured_amount for the payment
  capturedAmount: number;
  // what the status check says now (statusName, remaining amount)
  bank: { statusName?: string; amountMinor?: number };
  // sum of our refunds already known to have succeeded
  succeededSum: number;
  // every refund of the payment whose fate is open (pending or unknown), the one in question included
  unsettled: readonly { id: string; amount: number }[];
  targetId: string;
}

export type RefundEvidence = { kind: 'happened' } | { kind: 'not_happened' } | { kind: 'inconclusive'; why: string };

// Subset sums over the open refunds get expensive fast; past this many a human is quicker anyway.
const MAX_UNSETTLED = 16;

// Did one open refund reach the bank, judging by the bank's amount drop (S0: partial refunds keep
// orgAmount and lower amount; REFUND at zero)? Only a drop that every possible explanation agrees on
// counts: "happened" if every combination of open refunds that adds up to the drop includes this one,
// "not_happened" if none does, otherwise inconclusive.
export function refundEvidence(input: RefundEvidenceInput): RefundEvidence {
  const { capturedAmount, bank, succeededSum, unsettled, targetId } = input;
  const status = bank.statusName?.toUpperCase();
  let bankRefunded: number;
  if (status === 'REFUND') bankRefunded = capturedAmount - (bank.amountMinor ?? 0);
  else if (status === 'CHARGE' && bank.amountMinor !== undefined) bankRefunded = capturedAmount - bank.amountMinor;
  else return { kind: 'inconclusive', why: `bank status ${status ?? 'unknown'}` };

  const drop = bankRefunded - succeededSum;
  if (drop < 0) {
    return {
      kind: 'inconclusive',
      why: `the bank shows less refunded (${bankRefunded}) than our ledger (${succeededSum})`,
    };
  }
  if (!unsettled.some((r) => r.id === targetId)) return { kind: 'inconclusive', why: 'refund is not open' };
  if (unsettled.length > MAX_UNSETTLED)
    return { kind: 'inconclusive', why: `${unsettled.length} open refunds on one payment` };

  let withTarget = 0;
  let withoutTarget = 0;
  const n = unsettled.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    let sum = 0;
    let hasTarget = false;
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        sum += unsettled[i].amount;
        if (unsettled[i].id === targetId) hasTarget = true;
      }
    }
    if (sum !== drop) continue;
    if (hasTarget) withTarget++;
    else withoutTarget++;
  }
  if (withTarget && !withoutTarget) return { kind: 'happened' };
  if (!withTarget && withoutTarget) return { kind: 'not_happened' };
  if (!withTarget && !withoutTarget) {
    return { kind: 'inconclusive', why: `no combination of open refunds explains the bank's ${drop}` };
  }
  return { kind: 'inconclusive', why: 'several open refunds could explain the amount drop' };
}
