import { minorToGatewayAmount } from '../../../common/money/money.util';
import { fourDigitYear } from '../../crypto/card-validation.util';

// One side of a transfer as the bank wants it (S3, SDK Modules/P2P): a card number or a saved cardID.
export type TransferSenderInput =
  | { kind: 'pan'; pan: string; expMonth: number; expYear: number; cvc: string; name?: string; save: boolean }
  | { kind: 'card_id'; epayCardId: string };

export type TransferReceiverInput = { kind: 'pan'; pan: string } | { kind: 'card_id'; epayCardId: string };

export interface TransferBodyInput {
  orderId: string;
  amountMinor: number;
  currency: string;
  description?: string | null;
  accountId: string;
  email?: string | null;
  terminalId: string;
  backLink?: string | null;
  failureBackLink?: string | null;
  sender: TransferSenderInput;
  receiver: TransferReceiverInput;
}

const two = (n: number) => String(n).padStart(2, '0');

// The ePay P2P body (S3 "Transfer to a saved card with the sender's card saved"). It carries card
// numbers in clear: it goes to the gateway client and nowhere else (exchange records redact cardCred,
// cvc and expire).
export function buildTransferBody(i: TransferBodyInput): Record<string, unknown> {
  const sender =
    i.sender.kind === 'pan'
      ? {
          save: i.sender.save,
          transferType: 'TYPEPAN',
          cvc: i.sender.cvc,
          expire: { month: two(i.sender.expMonth), year: two(fourDigitYear(i.sender.expYear) % 100) },
          name: i.sender.name,
          cardCred: i.sender.pan,
        }
      : { save: false, transferType: 'TYPECARDID', cardCred: i.sender.epayCardId };
  const receiver =
    i.receiver.kind === 'pan'
      ? { transferType: 'TYPEPAN', cardCred: i.receiver.pan }
      : { transferType: 'TYPECARDID', cardCred: i.receiver.epayCardId };
  return {
    order: {
      amount: minorToGatewayAmount(i.amountMinor, i.currency),
      currency: i.currency,
      description: i.description ?? undefined,
      id: i.orderId,
      // S3's example spells it accountID (its table: accountId); the bank reads keys case-insensitively
      accountID: i.accountId,
      senderEmail: i.email ?? undefined,
      terminalId: i.terminalId,
      backLink: i.backLink ?? undefined,
      failureBackLink: i.failureBackLink ?? undefined,
    },
    card: { sender, receiver },
  };
}
