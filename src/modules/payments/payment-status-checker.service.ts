import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { reasonMessage } from '../../gateway/constants/epay-reason-codes.constant';
import type { EpayStatusReply, EpayTransaction } from '../../gateway/gateway-api.types';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { EpayTokenService } from '../auth/epay-token.service';
import { PaymentEntity } from './payment.entity';
import { isFinal, statusFromEpay } from './payment-state-machine';
import { PaymentStateService, PaymentPatch } from './payment-state.service';
import { PaymentEventSource, PaymentStatus } from './payment-status.enum';
import { last4FromMask } from './utils/card-mask.util';

// resultCode 102 (invoice not found) right after a timeout may only mean the bank is slow to index
// it; after this long with nothing found, the payment never reached the bank.
export const NOT_FOUND_FINAL_AFTER_MS = 15 * 60_000;

export type StatusCheckOutcome =
  | { kind: 'applied'; payment: PaymentEntity; changed: boolean }
  | { kind: 'not_final_yet'; payment: PaymentEntity; resultCode: number }
  | { kind: 'config_error'; payment: PaymentEntity; resultCode: number };

// Asks ePay for a payment's status and applies what it says through the state machine (S0, API.md §7).
@Injectable()
export class PaymentStatusChecker {
  private readonly logger = new Logger(PaymentStatusChecker.name);

  constructor(
    @InjectRepository(PaymentEntity) private readonly payments: Repository<PaymentEntity>,
    private readonly homebank: HomebankHttpService,
    private readonly tokens: EpayTokenService,
    private readonly state: PaymentStateService,
  ) {}

  async check(payment: PaymentEntity, source: PaymentEventSource): Promise<StatusCheckOutcome> {
    const reply = await this.tokens.withServiceToken((token) =>
      this.homebank.checkPaymentStatus(token, payment.invoiceId, { paymentId: payment.id }),
    );
    return this.apply(payment, reply, source);
  }

  async apply(payment: PaymentEntity, reply: EpayStatusReply, source: PaymentEventSource): Promise<StatusCheckOutcome> {
    switch (reply.resultCode) {
      case 100:
        return this.applyTransaction(payment, reply.transaction, source);
      case 101:
        // "Reject: unsuccessful transaction" with no transaction body
        return this.settle(payment, PaymentStatus.FAILED, source, 'status check: rejected', {
          failureCode: 'epay_rejected',
          failureMessage: 'Declined',
        });
      case 102: {
        const age = Date.now() - payment.createdAt.getTime();
        if (age > NOT_FOUND_FINAL_AFTER_MS && !payment.epayTransactionId) {
          return this.settle(payment, PaymentStatus.FAILED, source, 'status check: not found at the bank', {
            failureCode: 'not_found_at_bank',
            failureMessage: 'The bank has no record of this payment',
          });
        }
        return { kind: 'not_final_yet', payment, resultCode: 102 };
      }
      case 104:
      case 106:
        // our token or terminal configuration is wrong: nothing about the payment is learnt
        this.logger.error({ paymentId: payment.id, resultCode: reply.resultCode }, 'status check refused: terminal configuration');
        return { kind: 'config_error', payment, resultCode: reply.resultCode };
      default:
        // 103 retry, 107 in progress, anything new: ask again later
        return { kind: 'not_final_yet', payment, resultCode: reply.resultCode };
    }
  }

  private async applyTransaction(
    payment: PaymentEntity,
    tx: EpayTransaction | undefined,
    source: PaymentEventSource,
  ): Promise<StatusCheckOutcome> {
    const to = statusFromEpay(tx?.statusName, { amountMinor: tx?.amountMinor, orgAmountMinor: tx?.orgAmountMinor });
    if (!tx || !to) {
      this.logger.warn({ paymentId: payment.id, statusName: tx?.statusName }, 'status check: unknown statusName');
      return { kind: 'not_final_yet', payment, resultCode: 100 };
    }
    const original = tx.orgAmountMinor ?? tx.amountMinor;
    const mismatch =
      (tx.currency && tx.currency !== payment.currency.trim()) || (original !== undefined && original !== payment.amount)
        ? `bank reports ${original} ${tx.currency ?? ''} for a payment of ${payment.amount} ${payment.currency}`
        : undefined;
    if (mismatch) {
      // never let a disagreeing amount settle a payment: a human looks at it
      this.logger.error({ paymentId: payment.id }, `status check amount mismatch: ${mismatch}`);
      const result = await this.state.transition(payment.id, {
        to: payment.status,
        source,
        patch: { needsAttention: true, attentionReason: `amount mismatch: ${mismatch}` },
      });
      return { kind: 'applied', payment: result.payment, changed: false };
    }
    const patch: PaymentPatch = {
      epayTransactionId: tx.id ?? payment.epayTransactionId,
      reference: tx.reference ?? payment.reference,
      intReference: tx.intReference ?? payment.intReference,
      approvalCode: tx.approvalCode ?? payment.approvalCode,
      cardMask: tx.cardMask ?? payment.cardMask,
      cardLast4: last4FromMask(tx.cardMask) ?? payment.cardLast4,
      cardType: tx.cardType ?? payment.cardType,
      issuer: tx.issuer ?? payment.issuer,
    };
    // what we captured ourselves stands (the sandbox and, it seems, the bank lower `amount` as partial
    // refunds go through, keeping orgAmount); otherwise the bank's charged amount
    if (to === PaymentStatus.CHARGED) patch.capturedAmount = payment.capturedAmount > 0 ? payment.capturedAmount : (tx.amountMinor ?? payment.amount);
    if (to === PaymentStatus.FAILED) {
      patch.failureCode = tx.reasonCode !== undefined ? `epay_${tx.reasonCode}` : 'epay_declined';
      patch.failureMessage = reasonMessage(tx.reasonCode);
    }
    if (to === PaymentStatus.PARTIALLY_REFUNDED || to === PaymentStatus.REFUNDED) {
      // the bank keeps orgAmount and lowers amount as refunds go through (S0)
      const captured = Math.max(payment.capturedAmount, tx.orgAmountMinor ?? payment.amount);
      patch.capturedAmount = captured;
      if (tx.amountMinor !== undefined) patch.refundedAmount = Math.max(payment.refundedAmount, captured - tx.amountMinor);
      else if (to === PaymentStatus.REFUNDED) patch.refundedAmount = captured;
    }
    return this.settle(payment, to, source, `status check: ${tx.statusName}`, patch);
  }

  private async settle(
    payment: PaymentEntity,
    to: PaymentStatus,
    source: PaymentEventSource,
    reason: string,
    patch: PaymentPatch,
  ): Promise<StatusCheckOutcome> {
    if (isFinal(payment.status) && payment.status !== to) {
      // a final state never moves; a disagreement is worth a look
      this.logger.warn({ paymentId: payment.id, ours: payment.status, bank: to }, 'bank status disagrees with a final payment');
    }
    const result = await this.state.transition(payment.id, { to, source, reason, patch });
    return { kind: 'applied', payment: result.payment, changed: result.changed };
  }
}
