import { bankLedgerMismatch } from './bank-ledger-mismatch.util';

const none = { succeeded: 0, open: 0 };

describe('bank amounts against our refund ledger', () => {
  it('agrees when the bank shows what the ledger says', () => {
    expect(bankLedgerMismatch(10000, { statusName: 'CHARGE', amountMinor: 10000 }, none, none)).toBeNull();
    const ten = { succeeded: 1000, open: 0 };
    expect(bankLedgerMismatch(10000, { statusName: 'CHARGE', amountMinor: 9000 }, ten, ten)).toBeNull();
    const all = { succeeded: 10000, open: 0 };
    expect(bankLedgerMismatch(10000, { statusName: 'REFUND', amountMinor: 0 }, all, all)).toBeNull();
    expect(bankLedgerMismatch(10000, { statusName: 'REFUND' }, all, all)).toBeNull();
  });

  it('open refunds explain any amount between the confirmed and the confirmed plus open', () => {
    const open = { succeeded: 1000, open: 2000 };
    for (const left of [9000, 8000, 7000])
      expect(bankLedgerMismatch(10000, { statusName: 'CHARGE', amountMinor: left }, open, open)).toBeNull();
    expect(bankLedgerMismatch(10000, { statusName: 'CHARGE', amountMinor: 6999 }, open, open)).toContain(
      'the bank shows 3001 refunded of 10000, our ledger 1000 (+2000 not yet confirmed)',
    );
  });

  it('flags more refunded than the ledger (a refund made twice, or elsewhere)', () => {
    const ten = { succeeded: 1000, open: 0 };
    expect(bankLedgerMismatch(10000, { statusName: 'CHARGE', amountMinor: 8000 }, ten, ten)).toBe(
      'bank mismatch: the bank shows 2000 refunded of 10000, our ledger 1000',
    );
    expect(bankLedgerMismatch(10000, { statusName: 'CHARGE', amountMinor: 9000 }, none, none)).toContain(
      'shows 1000 refunded',
    );
  });

  it('flags less refunded than the ledger, and more charged than we captured', () => {
    const ten = { succeeded: 1000, open: 0 };
    expect(bankLedgerMismatch(10000, { statusName: 'CHARGE', amountMinor: 10000 }, ten, ten)).toContain(
      'shows 0 refunded of 10000, our ledger 1000',
    );
    expect(bankLedgerMismatch(5000, { statusName: 'CHARGE', amountMinor: 6000 }, none, none)).toBe(
      'bank mismatch: the bank shows 6000 charged, our ledger 5000',
    );
  });

  it('a refund settling between the two ledger reads is no alarm', () => {
    // before the status request: pending; after its answer: succeeded (the bank may show either)
    const before = { succeeded: 0, open: 1000 };
    const after = { succeeded: 1000, open: 0 };
    expect(bankLedgerMismatch(10000, { statusName: 'CHARGE', amountMinor: 10000 }, before, after)).toBeNull();
    expect(bankLedgerMismatch(10000, { statusName: 'CHARGE', amountMinor: 9000 }, before, after)).toBeNull();
  });

  it('says nothing about statuses without a charged amount, or before we know what we captured', () => {
    expect(bankLedgerMismatch(10000, { statusName: 'AUTH', amountMinor: 10000 }, none, none)).toBeNull();
    expect(bankLedgerMismatch(0, { statusName: 'CHARGE', amountMinor: 10000 }, none, none)).toBeNull();
  });
});
