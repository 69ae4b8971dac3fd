import type { EpayStatusReply, EpayTransaction } from '../../../gateway/gateway-api.types';
import { PaymentStatus } from '../../payments/payment-status.enum';
import { interpretStatusReply, NOT_FOUND_FINAL_AFTER_MS, StatusSubject } from './interpret-status-reply.util';

const NOW = Date.parse('2025-01-01T12:00:00Z');

function subject(overrides: Partial<StatusSubject> = {}): StatusSubject {
  return {
    status: PaymentStatus.UNKNOWN,
    invoiceId: '100000123',
    amount: 10050,
    currency: 'KZT',
    createdAt: new Date(NOW - 60_000),
    capturedAmount: 0,
    refundedAmount: 0,
    epayTransactionId: null,
    reference: null,
    intReference: null,
    approvalCode: null,
    cardMask: null,
    cardLast4: null,
    cardType: null,
    issuer: null,
    ...overrides,
  };
}

const tx = (overrides: Partial<EpayTransaction> = {}): EpayTransaction => ({
  id: 'txn-1',
  invoiceId: '100000123',
  statusName: 'CHARGE',
  amountMinor: 10050,
  orgAmountMinor: 10050,
  currency: 'KZT',
  reference: '123456789012',
  cardMask: '440563...5096',
  ...overrides,
});

const ok = (t?: EpayTransaction): EpayStatusReply => ({ resultCode: 100, transaction: t });

describe('interpretStatusReply', () => {
  it.each([
    ['NEW', PaymentStatus.PENDING],
    ['AUTH', PaymentStatus.AUTHORIZED],
    ['CHARGE', PaymentStatus.CHARGED],
    ['CANCEL', PaymentStatus.CANCELLED],
    ['CANCEL_OLD', PaymentStatus.CANCELLED],
    ['FAILED', PaymentStatus.FAILED],
    ['REJECT', PaymentStatus.FAILED],
    ['3D', PaymentStatus.FAILED],
    ['REFUND', PaymentStatus.REFUNDED],
  ])('100 with statusName %s settles to %s', (statusName, to) => {
    const v = interpretStatusReply(
      subject(),
      ok(tx({ statusName, ...(statusName === 'REFUND' ? { amountMinor: 0 } : {}) })),
      NOW,
    );
    expect(v).toMatchObject({ kind: 'settle', to });
  });

  it('100 CHARGE fills the bank fields and the captured amount (minor units)', () => {
    const v = interpretStatusReply(subject(), ok(tx()), NOW);
    expect(v).toEqual({
      kind: 'settle',
      to: PaymentStatus.CHARGED,
      reason: 'status check: CHARGE',
      patch: expect.objectContaining({
        epayTransactionId: 'txn-1',
        reference: '123456789012',
        cardLast4: '5096',
        capturedAmount: 10050,
      }),
    });
  });

  it('100 REFUND with part of the amount left is a partial refund with exact amounts', () => {
    const v = interpretStatusReply(
      subject({ status: PaymentStatus.CHARGED, capturedAmount: 10050 }),
      ok(tx({ statusName: 'REFUND', amountMinor: 6025 })),
      NOW,
    );
    expect(v).toMatchObject({
      kind: 'settle',
      to: PaymentStatus.PARTIALLY_REFUNDED,
      patch: { capturedAmount: 10050, refundedAmount: 4025 },
    });
  });

  it('100 CHARGE with less left than we captured is a partial refund, not a step back to charged', () => {
    const p = subject({ status: PaymentStatus.PARTIALLY_REFUNDED, capturedAmount: 10050, refundedAmount: 2000 });
    const v = interpretStatusReply(p, ok(tx({ statusName: 'CHARGE', amountMinor: 5050, orgAmountMinor: 10050 })), NOW);
    expect(v).toMatchObject({
      kind: 'settle',
      to: PaymentStatus.PARTIALLY_REFUNDED,
      patch: { capturedAmount: 10050, refundedAmount: 5000 },
    });
  });

  it('100 CHARGE after our partial charge is just charged (orgAmount is the authorised amount)', () => {
    const p = subject({ status: PaymentStatus.CHARGED, capturedAmount: 6000 });
    const v = interpretStatusReply(p, ok(tx({ statusName: 'CHARGE', amountMinor: 6000, orgAmountMinor: 10050 })), NOW);
    expect(v).toMatchObject({
      kind: 'settle',
      to: PaymentStatus.CHARGED,
      patch: { capturedAmount: 6000, refundedAmount: 0 },
    });
  });

  it('100 REFUND after a partial charge refunds what was captured, not the authorised amount', () => {
    const p = subject({ status: PaymentStatus.PARTIALLY_REFUNDED, capturedAmount: 6000, refundedAmount: 1000 });
    const v = interpretStatusReply(p, ok(tx({ statusName: 'REFUND', amountMinor: 0, orgAmountMinor: 10050 })), NOW);
    expect(v).toMatchObject({
      kind: 'settle',
      to: PaymentStatus.REFUNDED,
      patch: { capturedAmount: 6000, refundedAmount: 6000 },
    });
  });

  it('100 FAILED carries the bank reason code', () => {
    const v = interpretStatusReply(subject(), ok(tx({ statusName: 'FAILED', reasonCode: 484 })), NOW);
    expect(v).toMatchObject({
      kind: 'settle',
      to: PaymentStatus.FAILED,
      patch: { failureCode: 'epay_484', failureMessage: 'Insufficient funds' },
    });
  });

  it('100 NEW keeps a requires_3ds payment waiting for its customer', () => {
    expect(
      interpretStatusReply(subject({ status: PaymentStatus.REQUIRES_3DS }), ok(tx({ statusName: 'NEW' })), NOW),
    ).toMatchObject({ kind: 'wait' });
    expect(
      interpretStatusReply(subject({ status: PaymentStatus.AUTHORIZED }), ok(tx({ statusName: 'NEW' })), NOW),
    ).toMatchObject({ kind: 'wait' });
    expect(
      interpretStatusReply(subject({ status: PaymentStatus.CREATED }), ok(tx({ statusName: 'NEW' })), NOW),
    ).toMatchObject({ kind: 'settle', to: PaymentStatus.PENDING });
  });

  it('100 with a different amount, currency or invoice asks for a human, never settles', () => {
    expect(interpretStatusReply(subject(), ok(tx({ orgAmountMinor: 10051, amountMinor: 10051 })), NOW)).toMatchObject({
      kind: 'attention',
      reason: expect.stringMatching(/amount mismatch/),
    });
    expect(interpretStatusReply(subject(), ok(tx({ currency: 'USD' })), NOW)).toMatchObject({ kind: 'attention' });
    expect(interpretStatusReply(subject(), ok(tx({ invoiceId: '999999999' })), NOW)).toMatchObject({
      kind: 'attention',
      reason: expect.stringMatching(/invoice/),
    });
  });

  it('100 without a transaction or with an unknown statusName waits', () => {
    expect(interpretStatusReply(subject(), ok(undefined), NOW)).toMatchObject({
      kind: 'wait',
      resultCode: 100,
      unexpected: true,
    });
    expect(interpretStatusReply(subject(), ok(tx({ statusName: 'WEIRD' })), NOW)).toMatchObject({
      kind: 'wait',
      resultCode: 100,
      unexpected: true,
    });
  });

  it('101 reject fails the payment', () => {
    expect(interpretStatusReply(subject(), { resultCode: 101 }, NOW)).toMatchObject({
      kind: 'settle',
      to: PaymentStatus.FAILED,
      patch: { failureCode: 'epay_rejected' },
    });
  });

  it('102 waits while young or acknowledged by the bank, fails an old never-acknowledged payment', () => {
    const old = new Date(NOW - NOT_FOUND_FINAL_AFTER_MS - 1);
    expect(interpretStatusReply(subject(), { resultCode: 102 }, NOW)).toMatchObject({ kind: 'wait', resultCode: 102 });
    expect(interpretStatusReply(subject({ createdAt: old }), { resultCode: 102 }, NOW)).toMatchObject({
      kind: 'settle',
      to: PaymentStatus.FAILED,
      patch: { failureCode: 'not_found_at_bank' },
    });
    expect(
      interpretStatusReply(subject({ createdAt: old, status: PaymentStatus.CREATED }), { resultCode: 102 }, NOW),
    ).toMatchObject({ kind: 'settle', to: PaymentStatus.FAILED });
    expect(
      interpretStatusReply(subject({ createdAt: old, epayTransactionId: 'txn' }), { resultCode: 102 }, NOW),
    ).toMatchObject({ kind: 'wait' });
    expect(
      interpretStatusReply(subject({ createdAt: old, status: PaymentStatus.REQUIRES_3DS }), { resultCode: 102 }, NOW),
    ).toMatchObject({ kind: 'wait' });
  });

  it('103 waits; 104 and 106 are configuration errors', () => {
    expect(interpretStatusReply(subject(), { resultCode: 103 }, NOW)).toMatchObject({ kind: 'wait', resultCode: 103 });
    expect(interpretStatusReply(subject(), { resultCode: 104 }, NOW)).toMatchObject({
      kind: 'config_error',
      resultCode: 104,
    });
    expect(interpretStatusReply(subject(), { resultCode: 106 }, NOW)).toMatchObject({
      kind: 'config_error',
      resultCode: 106,
    });
  });

  it('107 makes an unknown or created payment pending and leaves the others as they are', () => {
    expect(interpretStatusReply(subject(), { resultCode: 107 }, NOW)).toMatchObject({
      kind: 'settle',
      to: PaymentStatus.PENDING,
    });
    expect(interpretStatusReply(subject({ status: PaymentStatus.CREATED }), { resultCode: 107 }, NOW)).toMatchObject({
      kind: 'settle',
      to: PaymentStatus.PENDING,
    });
    expect(
      interpretStatusReply(subject({ status: PaymentStatus.REQUIRES_3DS }), { resultCode: 107 }, NOW),
    ).toMatchObject({ kind: 'wait', resultCode: 107 });
    expect(interpretStatusReply(subject({ status: PaymentStatus.PENDING }), { resultCode: 107 }, NOW)).toMatchObject({
      kind: 'wait',
      resultCode: 107,
    });
  });

  it('an undocumented resultCode waits', () => {
    expect(interpretStatusReply(subject(), { resultCode: 109 }, NOW)).toMatchObject({
      kind: 'wait',
      resultCode: 109,
      unexpected: true,
    });
    expect(interpretStatusReply(subject(), { resultCode: 107 }, NOW)).not.toHaveProperty('unexpected');
  });
});
