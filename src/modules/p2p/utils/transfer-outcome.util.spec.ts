import { GatewayException } from '../../../gateway/gateway.exception';
import { PaymentStatus } from '../../payments/payment-status.enum';
import { interpretStatusReply } from '../../status/utils/interpret-status-reply.util';
import type { TransferEntity } from '../transfer.entity';
import {
  decideFromCallError,
  decideFromTransferReply,
  transferAsStatusSubject,
  transferPatchFromPaymentPatch,
} from './transfer-outcome.util';

const transfer = { amount: 10050, currency: 'KZT' };

// S3's success reply, as parseP2pReply normalises it
const charged = {
  transactionId: '84d22915-f77f-491a-801c-aeb1b3b3bb36',
  orderId: '8161284658529816',
  status: 'CHARGE',
  reference: '403752583641',
  intReference: 'C2679A7844D3A007',
  senderCardId: '10606a85-ffca-b6b3-e063-1d1a000a2f3d',
  senderCardMask: '440563...5096',
  senderCardType: 'VISA',
  receiverCardMask: '440563...7622',
  receiverCardType: 'VISA',
  amountMinor: 10050,
  feeMinor: 9500,
};

describe('decideFromTransferReply', () => {
  it('CHARGE settles the transfer as charged with the bank ids, masks and fee', () => {
    expect(decideFromTransferReply(transfer, charged)).toEqual({
      kind: 'settle',
      to: PaymentStatus.CHARGED,
      reason: 'ePay CHARGE',
      savedSenderCardId: charged.senderCardId,
      patch: {
        epayTransactionId: charged.transactionId,
        reference: charged.reference,
        intReference: charged.intReference,
        fee: 9500,
        senderCardMask: '440563...5096',
        senderCardType: 'VISA',
        receiverCardMask: '440563...7622',
        receiverCardType: 'VISA',
      },
    });
  });

  it('a different amount settles nothing: a human looks at it', () => {
    expect(decideFromTransferReply(transfer, { ...charged, amountMinor: 10000 })).toMatchObject({
      kind: 'attention',
      reason: 'bank reports 10000 for a transfer of 10050 KZT',
    });
  });

  it('no settled status (or a 3-D Secure request) leaves it pending; a missing status asks the bank at once', () => {
    expect(decideFromTransferReply(transfer, { transactionId: 'x', status: 'NEW' })).toMatchObject({
      kind: 'settle',
      to: PaymentStatus.PENDING,
      checkNow: true,
    });
    expect(decideFromTransferReply(transfer, { transactionId: 'x' })).toMatchObject({
      kind: 'settle',
      to: PaymentStatus.PENDING,
      checkNow: true,
    });
    const threeDs = decideFromTransferReply(transfer, {
      transactionId: 'x',
      secure3D: { paReq: 'p', md: 'm', action: 'a' },
    });
    expect(threeDs).toMatchObject({ kind: 'settle', to: PaymentStatus.PENDING });
    expect(threeDs).not.toHaveProperty('checkNow');
  });

  it('a 200 saying FAILED fails it', () => {
    expect(decideFromTransferReply(transfer, { transactionId: 'x', status: 'FAILED' })).toMatchObject({
      to: PaymentStatus.FAILED,
      patch: { failureCode: 'epay_declined' },
    });
  });
});

describe('decideFromCallError', () => {
  const rejected = (bankCode?: number) =>
    new GatewayException('rejected', 'refused', { operation: 'p2p-transfer', httpStatus: 400, bankCode });

  it('a clear refusal fails the transfer with the bank reason code', () => {
    expect(decideFromCallError(rejected(484))).toEqual({
      to: PaymentStatus.FAILED,
      reason: 'declined: rejected 484',
      patch: { failureCode: 'epay_484', failureMessage: 'Insufficient funds' },
    });
    expect(decideFromCallError(rejected())).toMatchObject({
      to: PaymentStatus.FAILED,
      patch: { failureCode: 'GATEWAY_REJECTED' },
    });
  });

  it('anything the bank may have acted on is unknown: timeouts, 5xx, garbled replies, "amount may be blocked", our own bugs', () => {
    for (const err of [
      new GatewayException('timeout', 't', { operation: 'p2p-transfer' }),
      new GatewayException('unavailable', 'u', { operation: 'p2p-transfer', httpStatus: 502 }),
      new GatewayException('malformed', 'm', { operation: 'p2p-transfer', httpStatus: 200 }),
      rejected(454),
      new Error('bug'),
    ]) {
      expect(decideFromCallError(err).to).toBe(PaymentStatus.UNKNOWN);
    }
  });

  it('a request that never left (connection refused) is a plain failure', () => {
    const notSent = new GatewayException('unavailable', 'unreachable', { operation: 'p2p-transfer' }, undefined, true);
    expect(decideFromCallError(notSent).to).toBe(PaymentStatus.FAILED);
  });
});

describe('reading P2P status replies with the shared interpretation', () => {
  const row = {
    status: PaymentStatus.UNKNOWN,
    orderId: '100000123',
    amount: 10050,
    currency: 'KZT',
    createdAt: new Date(),
    epayTransactionId: null,
    reference: null,
    intReference: null,
    approvalCode: null,
    senderCardMask: '440563...5096',
    senderCardType: 'VISA',
  } as unknown as TransferEntity;

  it('CHARGE for our order id and amount settles it, keeping only transfer fields', () => {
    const verdict = interpretStatusReply(transferAsStatusSubject(row), {
      resultCode: 100,
      transaction: {
        id: 'tx',
        invoiceId: '100000123',
        statusName: 'CHARGE',
        amountMinor: 10050,
        currency: 'KZT',
        reference: 'r',
        cardType: 'VISA',
      },
    });
    expect(verdict).toMatchObject({ kind: 'settle', to: PaymentStatus.CHARGED });
    const patch = transferPatchFromPaymentPatch(
      (verdict as { patch: Parameters<typeof transferPatchFromPaymentPatch>[0] }).patch,
    );
    expect(patch).toEqual({
      epayTransactionId: 'tx',
      reference: 'r',
      intReference: null,
      approvalCode: null,
      senderCardMask: '440563...5096',
      senderCardType: 'VISA',
    });
    expect(patch).not.toHaveProperty('capturedAmount');
  });

  it('another order or amount is for a human', () => {
    expect(
      interpretStatusReply(transferAsStatusSubject(row), {
        resultCode: 100,
        transaction: { invoiceId: '999999999', statusName: 'CHARGE', amountMinor: 10050 },
      }).kind,
    ).toBe('attention');
    expect(
      interpretStatusReply(transferAsStatusSubject(row), {
        resultCode: 100,
        transaction: { invoiceId: '100000123', statusName: 'CHARGE', amountMinor: 1 },
      }).kind,
    ).toBe('attention');
  });
});
