import type { PaymentEntity } from '../payment.entity';
import type { PaymentPatch } from '../payment-state.service';
import { last4FromMask } from './card-mask.util';

type GatewayFields = Pick<
  PaymentEntity,
  'epayTransactionId' | 'reference' | 'intReference' | 'approvalCode' | 'cardMask' | 'cardLast4' | 'cardType' | 'issuer'
>;

// What ePay told us about a payment (payment reply or status transaction) merged over what we knew:
// a field the bank leaves out never erases one we have.
export function gatewayFieldsPatch(
  current: GatewayFields,
  bank: {
    transactionId?: string;
    reference?: string;
    intReference?: string;
    approvalCode?: string;
    cardMask?: string;
    cardType?: string;
    issuer?: string;
  },
): PaymentPatch {
  return {
    epayTransactionId: bank.transactionId ?? current.epayTransactionId,
    reference: bank.reference ?? current.reference,
    intReference: bank.intReference ?? current.intReference,
    approvalCode: bank.approvalCode ?? current.approvalCode,
    cardMask: bank.cardMask ?? current.cardMask,
    cardLast4: last4FromMask(bank.cardMask) ?? current.cardLast4,
    cardType: bank.cardType ?? current.cardType,
    issuer: bank.issuer ?? current.issuer,
  };
}
