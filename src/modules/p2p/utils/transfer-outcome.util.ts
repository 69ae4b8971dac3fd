import { EPAY_NON_FINAL_REASON_CODES, reasonMessage } from '../../../gateway/constants/epay-reason-codes.constant';
import type { EpayP2pReply } from '../../../gateway/gateway-api.types';
import { GatewayException, MISCONFIGURED_FAILURE_CODE } from '../../../gateway/gateway.exception';
import { statusFromEpay } from '../../payments/payment-state-machine';
import type { PaymentPatch } from '../../payments/payment-state.service';
import { PaymentStatus } from '../../payments/payment-status.enum';
import { last4FromMask } from '../../payments/utils/card-mask.util';
import type { StatusSubject } from '../../status/utils/interpret-status-reply.util';
import type { TransferEntity } from '../transfer.entity';

// Fields a transition may write besides the status.
export type TransferPatch = Partial<
  Pick<
    TransferEntity,
    | 'epayTransactionId'
    | 'reference'
    | 'intReference'
    | 'approvalCode'
    | 'fee'
    | 'senderCardMask'
    | 'senderCardType'
    | 'senderSavedCardId'
    | 'receiverCardMask'
    | 'receiverCardType'
    | 'failureCode'
    | 'failureMessage'
    | 'needsAttention'
    | 'attentionReason'
  >
>;

export type TransferDecision =
  | {
      kind: 'settle';
      to: PaymentStatus;
      reason: string;
      patch: TransferPatch;
      // a 200 without a settled status: ask the bank right away
      checkNow?: boolean;
      // the bank's cardID of the sender card it saved (sender.save)
      savedSenderCardId?: string;
    }
  // the bank describes a different transfer (amount, currency): nothing settles, a human looks at it
  | { kind: 'attention'; reason: string; patch: TransferPatch };

// What a 200 reply to the transfer call means (S3: status "CHARGE" on success).
export function decideFromTransferReply(
  t: Pick<TransferEntity, 'amount' | 'currency'>,
  reply: EpayP2pReply,
): TransferDecision {
  const patch: TransferPatch = {
    epayTransactionId: reply.transactionId,
    reference: reply.reference,
    intReference: reply.intReference,
    fee: reply.feeMinor,
    senderCardMask: reply.senderCardMask,
    senderCardType: reply.senderCardType,
    receiverCardMask: reply.receiverCardMask,
    receiverCardType: reply.receiverCardType,
  };
  for (const key of Object.keys(patch) as (keyof TransferPatch)[]) if (patch[key] === undefined) delete patch[key];

  if (reply.amountMinor !== undefined && reply.amountMinor !== t.amount) {
    return {
      kind: 'attention',
      reason: `bank reports ${reply.amountMinor} for a transfer of ${t.amount} ${t.currency.trim()}`,
      patch,
    };
  }
  if (reply.secure3D) {
    // nothing documents 3-D Secure for transfers and we have no TermUrl for them: the bank holds it
    // until it settles, and a status check reads the result
    return {
      kind: 'settle',
      to: PaymentStatus.PENDING,
      reason: 'ePay asked for 3-D Secure, which transfers do not support',
      patch,
    };
  }
  const to = statusFromEpay(reply.status);
  if (to === PaymentStatus.FAILED) {
    return {
      kind: 'settle',
      to,
      reason: `ePay ${reply.status}`,
      patch: { ...patch, failureCode: 'epay_declined', failureMessage: 'Declined' },
    };
  }
  if (to && to !== PaymentStatus.PENDING) {
    return { kind: 'settle', to, reason: `ePay ${reply.status}`, patch, savedSenderCardId: reply.senderCardId };
  }
  return {
    kind: 'settle',
    to: PaymentStatus.PENDING,
    reason: `ePay replied ${reply.status ?? 'without a status'}`,
    patch,
    checkNow: true,
  };
}

// What a failed transfer call means. Money-moving calls are never retried: a clear refusal fails the
// transfer, anything the bank may have acted on is unknown until a status check says otherwise.
export function decideFromCallError(err: unknown): { to: PaymentStatus; reason: string; patch: TransferPatch } {
  if (!(err instanceof GatewayException)) {
    return { to: PaymentStatus.UNKNOWN, reason: 'internal error during the transfer call', patch: {} };
  }
  if (err.ambiguous) {
    return {
      to: PaymentStatus.UNKNOWN,
      reason: `ePay ${err.operation}: ${err.failure}`,
      patch: { failureCode: err.code, failureMessage: 'Outcome not known yet; it is being confirmed with the bank' },
    };
  }
  if (err.failure === 'misconfigured') {
    // no bank endpoint answered: nothing happened, and every transfer fails alike until it is fixed
    const why = `ePay ${err.operation}: HTTP ${err.httpStatus ?? '?'} is not a bank answer (configuration error)`;
    return {
      to: PaymentStatus.FAILED,
      reason: why,
      patch: {
        failureCode: MISCONFIGURED_FAILURE_CODE,
        failureMessage: 'Payment gateway misconfigured',
        needsAttention: true,
        attentionReason: why,
      },
    };
  }
  if (err.failure === 'rejected' && err.bankCode !== undefined && EPAY_NON_FINAL_REASON_CODES.has(err.bankCode)) {
    return {
      to: PaymentStatus.UNKNOWN,
      reason: `ePay code ${err.bankCode}: amount may be blocked`,
      patch: { failureCode: `epay_${err.bankCode}`, failureMessage: reasonMessage(err.bankCode) },
    };
  }
  const bankCode = err.bankCode;
  return {
    to: PaymentStatus.FAILED,
    reason: `declined: ${err.failure}${bankCode !== undefined ? ` ${bankCode}` : ''}`,
    patch: {
      failureCode: bankCode !== undefined ? `epay_${bankCode}` : err.code,
      failureMessage: bankCode !== undefined ? reasonMessage(bankCode) : 'declined',
    },
  };
}

// The shared status interpretation (interpretStatusReply) reads payments; a transfer is one with its
// order id as invoice id, nothing captured or refunded, and the sender card as "the" card.
export function transferAsStatusSubject(t: TransferEntity): StatusSubject {
  return {
    status: t.status,
    invoiceId: t.orderId,
    amount: t.amount,
    currency: t.currency,
    createdAt: t.createdAt,
    capturedAmount: 0,
    refundedAmount: 0,
    epayTransactionId: t.epayTransactionId,
    reference: t.reference,
    intReference: t.intReference,
    approvalCode: t.approvalCode,
    cardMask: t.senderCardMask,
    cardLast4: last4FromMask(t.senderCardMask),
    cardType: t.senderCardType,
    issuer: null,
  };
}

// The transfer fields of a payment patch the status interpretation produced (amounts captured or
// refunded mean nothing for a transfer).
export function transferPatchFromPaymentPatch(p: PaymentPatch): TransferPatch {
  const patch: TransferPatch = {
    epayTransactionId: p.epayTransactionId,
    reference: p.reference,
    intReference: p.intReference,
    approvalCode: p.approvalCode,
    senderCardMask: p.cardMask,
    senderCardType: p.cardType,
    failureCode: p.failureCode,
    failureMessage: p.failureMessage,
  };
  for (const key of Object.keys(patch) as (keyof TransferPatch)[]) if (patch[key] === undefined) delete patch[key];
  return patch;
}
