import { reasonMessage } from '../../../gateway/constants/epay-reason-codes.constant';
import type { EpayStatusReply, EpayTransaction } from '../../../gateway/gateway-api.types';
import type { PaymentEntity } from '../../payments/payment.entity';
import { statusFromEpay } from '../../payments/payment-state-machine';
import type { PaymentPatch } from '../../payments/payment-state.service';
import { PaymentStatus } from '../../payments/payment-status.enum';
import { NOT_FOUND_FAILURE_CODE } from '../../payments/utils/check-schedule.util';
import { gatewayFieldsPatch } from '../../payments/utils/gateway-fields.util';

// resultCode 102 (invoice not found) right after a timeout may only mean the bank is slow to index
// it; after this long with nothing found, the payment never reached the bank.
export const NOT_FOUND_FINAL_AFTER_MS = 15 * 60_000;

export type StatusSubject = Pick<
  PaymentEntity,
  | 'status'
  | 'invoiceId'
  | 'amount'
  | 'currency'
  | 'createdAt'
  | 'capturedAmount'
  | 'refundedAmount'
  | 'epayTransactionId'
  | 'reference'
  | 'intReference'
  | 'approvalCode'
  | 'cardMask'
  | 'cardLast4'
  | 'cardType'
  | 'issuer'
>;

// What one status reply means for one payment. Pure: the checker applies it through the state machine.
export type StatusVerdict =
  // move (or confirm) the payment to `to`; the state machine still refuses illegal moves
  | { kind: 'settle'; to: PaymentStatus; reason: string; patch: PaymentPatch }
  // nothing settled: ask again later (`unexpected`: an answer the docs do not describe, worth a log line)
  | { kind: 'wait'; resultCode: number; reason: string; unexpected?: boolean }
  // our terminal/token configuration is wrong (104, 106): nothing is learnt about the payment
  | { kind: 'config_error'; resultCode: number; reason: string }
  // the bank describes a different payment (amount, currency, invoice): a human looks at it
  | { kind: 'attention'; reason: string };

// The bank has it but has not settled it yet: only these of ours may become `pending`.
const MAY_BECOME_PENDING: ReadonlySet<PaymentStatus> = new Set([
  PaymentStatus.CREATED,
  PaymentStatus.UNKNOWN,
  PaymentStatus.PENDING,
]);

// S0, API.md §7: resultCode 100 success (read statusName), 101 reject, 102 not found, 103 retry,
// 104 no terminal in token, 106 wrong terminal, 107 in progress; anything else is asked again.
export function interpretStatusReply(p: StatusSubject, reply: EpayStatusReply, now = Date.now()): StatusVerdict {
  switch (reply.resultCode) {
    case 100:
      return interpretTransaction(p, reply.transaction);
    case 101:
      // "Reject: unsuccessful transaction", no transaction body
      return {
        kind: 'settle',
        to: PaymentStatus.FAILED,
        reason: 'status check: rejected (101)',
        patch: { failureCode: 'epay_rejected', failureMessage: 'Declined' },
      };
    case 102: {
      // only a payment the bank never acknowledged can be "never arrived"; one it gave an id to is slow, not absent
      const neverAcknowledged =
        !p.epayTransactionId && (p.status === PaymentStatus.CREATED || p.status === PaymentStatus.UNKNOWN);
      if (neverAcknowledged && now - p.createdAt.getTime() > NOT_FOUND_FINAL_AFTER_MS) {
        return {
          kind: 'settle',
          to: PaymentStatus.FAILED,
          reason: 'status check: not found at the bank (102)',
          patch: { failureCode: NOT_FOUND_FAILURE_CODE, failureMessage: 'The bank has no record of this payment' },
        };
      }
      return { kind: 'wait', resultCode: 102, reason: 'invoice not found (yet)' };
    }
    case 103:
      return { kind: 'wait', resultCode: 103, reason: 'bank asks to retry (103)' };
    case 104:
    case 106:
      return {
        kind: 'config_error',
        resultCode: reply.resultCode,
        reason: `terminal configuration refused (${reply.resultCode})`,
      };
    case 107:
      // in progress: the bank has it, so a payment we were unsure about is at least pending; a
      // requires_3ds payment stays as it is (the customer is at the ACS; its callback needs that state)
      if (p.status === PaymentStatus.CREATED || p.status === PaymentStatus.UNKNOWN) {
        return { kind: 'settle', to: PaymentStatus.PENDING, reason: 'status check: in progress (107)', patch: {} };
      }
      return { kind: 'wait', resultCode: 107, reason: 'in progress (107)' };
    default:
      return {
        kind: 'wait',
        resultCode: reply.resultCode,
        reason: `unexpected resultCode ${reply.resultCode}`,
        unexpected: true,
      };
  }
}

function interpretTransaction(p: StatusSubject, tx: EpayTransaction | undefined): StatusVerdict {
  if (!tx) return { kind: 'wait', resultCode: 100, reason: 'success without a transaction', unexpected: true };
  const to = statusFromEpay(tx.statusName, { amountMinor: tx.amountMinor, orgAmountMinor: tx.orgAmountMinor });
  if (!to)
    return {
      kind: 'wait',
      resultCode: 100,
      reason: `unknown statusName ${tx.statusName ?? '(none)'}`,
      unexpected: true,
    };

  const currency = p.currency.trim();
  if (tx.invoiceId && tx.invoiceId !== p.invoiceId) {
    return { kind: 'attention', reason: `bank answered for invoice ${tx.invoiceId}, not ${p.invoiceId}` };
  }
  // the original amount: the bank lowers `amount` as refunds go through and keeps orgAmount (S0)
  const original = tx.orgAmountMinor ?? tx.amountMinor;
  if ((tx.currency && tx.currency !== currency) || (original !== undefined && original !== p.amount)) {
    return {
      kind: 'attention',
      reason: `amount mismatch: bank reports ${original ?? '?'} ${tx.currency ?? ''} for a payment of ${p.amount} ${currency}`,
    };
  }

  if (to === PaymentStatus.PENDING && !MAY_BECOME_PENDING.has(p.status)) {
    // NEW for a requires_3ds payment: the customer has not finished 3-D Secure; for a settled one it
    // would be a step back, which the bank does not take
    return { kind: 'wait', resultCode: 100, reason: `bank reports ${tx.statusName}` };
  }

  const patch = gatewayFieldsPatch(p, { ...tx, transactionId: tx.id });
  let target = to;
  if (to === PaymentStatus.CHARGED || to === PaymentStatus.PARTIALLY_REFUNDED || to === PaymentStatus.REFUNDED) {
    // The bank lowers `amount` as refunds go through and keeps orgAmount, but a partial charge lowers
    // `amount` too (S0, API.md §6): only what we captured ourselves tells the two apart. When we do not
    // know it (an unknown payment found charged), the bank's current amount is taken as captured.
    const captured =
      p.capturedAmount > 0
        ? p.capturedAmount
        : to === PaymentStatus.CHARGED
          ? (tx.amountMinor ?? p.amount)
          : (tx.orgAmountMinor ?? p.amount);
    let refunded = p.refundedAmount;
    if (to === PaymentStatus.REFUNDED) refunded = captured;
    else if (tx.amountMinor !== undefined && tx.amountMinor < captured)
      refunded = Math.max(refunded, captured - tx.amountMinor);
    refunded = Math.min(refunded, captured);
    // CHARGE with less left than we captured: refunds went through (the sandbox keeps CHARGE until zero)
    if (refunded > 0 && to !== PaymentStatus.REFUNDED)
      target = refunded >= captured ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;
    patch.capturedAmount = captured;
    patch.refundedAmount = refunded;
  }
  if (to === PaymentStatus.FAILED) {
    patch.failureCode = tx.reasonCode !== undefined ? `epay_${tx.reasonCode}` : 'epay_declined';
    patch.failureMessage = reasonMessage(tx.reasonCode);
  }
  return { kind: 'settle', to: target, reason: `status check: ${tx.statusName}`, patch };
}
