import {
  ledgerTotals,
  minimumRefund,
  parseRefundMinimums,
  refundableAmount,
  refundedAfterSuccess,
  refundEvidence,
} from './refund-ledger.util';

describe('refund ledger arithmetic', () => {
  it('sums the ledger by status', () => {
    expect(
      ledgerTotals([
        { status: 'succeeded', amount: 1000 },
        { status: 'succeeded', amount: 2500 },
        { status: 'pending', amount: 700 },
        { status: 'unknown', amount: 300 },
        { status: 'failed', amount: 9999 },
      ]),
    ).toEqual({ succeeded: 3500, pending: 700, unknown: 300, failed: 9999 });
  });

  it('refundable = charged − refunds not failed', () => {
    const totals = { succeeded: 3000, pending: 1000, unknown: 500, failed: 4000 };
    expect(refundableAmount(10000, 3000, totals)).toBe(5500);
  });

  it('counts refunds the bank reported beyond our ledger (refunded_amount from a status check)', () => {
    expect(refundableAmount(10000, 6000, { succeeded: 3000, pending: 1000, unknown: 0, failed: 0 })).toBe(3000);
  });

  it('never goes below zero', () => {
    expect(refundableAmount(1000, 1000, { succeeded: 1000, pending: 500, unknown: 0, failed: 0 })).toBe(0);
  });

  it('refunded_amount after a success is monotone and capped at the charge', () => {
    expect(refundedAfterSuccess(10000, 2000, 3000)).toBe(3000);
    // a status check already counted it
    expect(refundedAfterSuccess(10000, 3000, 3000)).toBe(3000);
    expect(refundedAfterSuccess(10000, 5000, 3000)).toBe(5000);
    expect(refundedAfterSuccess(10000, 0, 12000)).toBe(10000);
  });

  it('minimums: 10 KZT by default config, one minor unit where none is configured', () => {
    const minimums = parseRefundMinimums('KZT:1000, usd : 50,bad,EUR:x');
    expect(minimums).toEqual({ KZT: 1000, USD: 50 });
    expect(minimumRefund('KZT', minimums)).toBe(1000);
    expect(minimumRefund('kzt ', minimums)).toBe(1000);
    expect(minimumRefund('EUR', minimums)).toBe(1);
    expect(minimumRefund('KZT', { KZT: 0 })).toBe(1);
  });
});

describe('refund evidence from the bank amount drop', () => {
  const base = { capturedAmount: 10000, succeededSum: 2000, targetId: 'a' };

  it('happened: the drop is exactly this refund', () => {
    expect(
      refundEvidence({
        ...base,
        bank: { statusName: 'CHARGE', amountMinor: 5000 },
        unsettled: [{ id: 'a', amount: 3000 }],
      }),
    ).toEqual({
      kind: 'happened',
    });
  });

  it('happened: REFUND with nothing left', () => {
    expect(
      refundEvidence({
        ...base,
        bank: { statusName: 'REFUND', amountMinor: 0 },
        unsettled: [{ id: 'a', amount: 8000 }],
      }).kind,
    ).toBe('happened');
    expect(
      refundEvidence({ ...base, bank: { statusName: 'REFUND' }, unsettled: [{ id: 'a', amount: 8000 }] }).kind,
    ).toBe('happened');
  });

  it('not happened: no drop beyond our ledger', () => {
    expect(
      refundEvidence({
        ...base,
        bank: { statusName: 'CHARGE', amountMinor: 8000 },
        unsettled: [{ id: 'a', amount: 3000 }],
      }).kind,
    ).toBe('not_happened');
  });

  it('not happened: the drop is explained by the other open refund only', () => {
    const unsettled = [
      { id: 'a', amount: 3000 },
      { id: 'b', amount: 1500 },
    ];
    expect(refundEvidence({ ...base, bank: { statusName: 'CHARGE', amountMinor: 6500 }, unsettled }).kind).toBe(
      'not_happened',
    );
  });

  it('happened: both open refunds went through', () => {
    const unsettled = [
      { id: 'a', amount: 3000 },
      { id: 'b', amount: 1500 },
    ];
    expect(refundEvidence({ ...base, bank: { statusName: 'CHARGE', amountMinor: 3500 }, unsettled }).kind).toBe(
      'happened',
    );
  });

  it('inconclusive: two open refunds of the same amount, one went through', () => {
    const unsettled = [
      { id: 'a', amount: 1000 },
      { id: 'b', amount: 1000 },
    ];
    expect(refundEvidence({ ...base, bank: { statusName: 'CHARGE', amountMinor: 7000 }, unsettled }).kind).toBe(
      'inconclusive',
    );
  });

  it('inconclusive: a drop nothing open explains (a refund made elsewhere)', () => {
    expect(
      refundEvidence({
        ...base,
        bank: { statusName: 'CHARGE', amountMinor: 7777 },
        unsettled: [{ id: 'a', amount: 3000 }],
      }).kind,
    ).toBe('inconclusive');
  });

  it('inconclusive: the bank shows less refunded than we know of, or a status that says nothing', () => {
    expect(
      refundEvidence({
        ...base,
        bank: { statusName: 'CHARGE', amountMinor: 9000 },
        unsettled: [{ id: 'a', amount: 3000 }],
      }).kind,
    ).toBe('inconclusive');
    expect(
      refundEvidence({
        ...base,
        bank: { statusName: 'AUTH', amountMinor: 10000 },
        unsettled: [{ id: 'a', amount: 3000 }],
      }).kind,
    ).toBe('inconclusive');
    expect(
      refundEvidence({ ...base, bank: { statusName: 'CHARGE' }, unsettled: [{ id: 'a', amount: 3000 }] }).kind,
    ).toBe('inconclusive');
  });
});
