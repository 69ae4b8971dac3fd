import { PaymentStatus } from '../../payments/payment-status.enum';
import { comparePayment, missingHere, OurPaymentRecord, pickBankRecord } from './reconciliation-compare.util';

const ours = (over: Partial<OurPaymentRecord> = {}): OurPaymentRecord => ({
  id: 'p1',
  invoiceId: '100000001',
  epayTransactionId: 't1',
  status: PaymentStatus.CHARGED,
  amount: 10000,
  capturedAmount: 10000,
  refundedAmount: 0,
  currency: 'KZT',
  ...over,
});

describe('reconciliation comparison', () => {
  it('agrees on a charge', () => {
    expect(
      comparePayment(ours(), {
        id: 't1',
        status: 'CHARGE',
        amountMinor: 10000,
        orgAmountMinor: 10000,
        currency: 'KZT',
      }),
    ).toEqual([]);
  });

  it('agrees on a partial refund that the bank keeps as CHARGE with a lower amount', () => {
    const p = ours({ status: PaymentStatus.PARTIALLY_REFUNDED, refundedAmount: 3000 });
    expect(comparePayment(p, { status: 'CHARGE', amountMinor: 7000, orgAmountMinor: 10000 })).toEqual([]);
    expect(comparePayment(p, { status: 'REFUND', amountMinor: 7000, orgAmountMinor: 10000 })).toEqual([]);
  });

  it('agrees on a partial charge then a full refund', () => {
    const p = ours({ status: PaymentStatus.REFUNDED, capturedAmount: 6000, refundedAmount: 6000 });
    expect(comparePayment(p, { status: 'REFUND', amountMinor: 0, orgAmountMinor: 10000 })).toEqual([]);
  });

  it('missing at the bank only for states in which money moved', () => {
    expect(comparePayment(ours(), undefined).map((m) => m.kind)).toEqual(['missing_at_bank']);
    expect(comparePayment(ours({ status: PaymentStatus.FAILED }), undefined)).toEqual([]);
    expect(comparePayment(ours({ status: PaymentStatus.CREATED }), undefined)).toEqual([]);
  });

  it('status differs', () => {
    const [m] = comparePayment(ours({ status: PaymentStatus.AUTHORIZED }), { status: 'CHARGE', amountMinor: 10000 });
    expect(m).toMatchObject({
      kind: 'status_differs',
      ourStatus: 'authorized',
      bankStatus: 'CHARGE',
      detail: 'ours authorized, bank charged',
    });
    expect(comparePayment(ours({ status: PaymentStatus.UNKNOWN }), { status: 'CHARGE' })[0].detail).toBe(
      'not reconciled with the bank yet',
    );
  });

  it('amount differs: original, remaining, currency', () => {
    const kinds = comparePayment(ours({ refundedAmount: 1000, status: PaymentStatus.PARTIALLY_REFUNDED }), {
      status: 'CHARGE',
      amountMinor: 8000,
      orgAmountMinor: 12000,
      currency: 'USD',
    });
    expect(kinds.map((m) => m.detail)).toEqual([
      'currency: ours KZT, bank USD',
      'original amount',
      'amount after charge and refunds',
    ]);
    expect(kinds[2]).toMatchObject({ ourAmount: 9000, bankAmount: 8000 });
  });

  it('reports a bank record we do not have', () => {
    expect(
      missingHere({ id: 'tx', invoiceId: '42', status: 'CHARGE', amountMinor: 500, currency: 'KZT' }),
    ).toMatchObject({
      kind: 'missing_here',
      paymentId: null,
      invoiceId: '42',
      bankAmount: 500,
    });
  });

  it('picks the attempt we know, else the last that moved money', () => {
    const records = [
      { id: 'a', status: 'FAILED' },
      { id: 'b', status: 'CHARGE' },
      { id: 'c', status: 'REJECT' },
    ];
    expect(pickBankRecord(records, 'c')?.id).toBe('c');
    expect(pickBankRecord(records, null)?.id).toBe('b');
    expect(pickBankRecord([{ id: 'a', status: 'FAILED' }], 'zzz')?.id).toBe('a');
    expect(pickBankRecord([], null)).toBeUndefined();
  });
});
