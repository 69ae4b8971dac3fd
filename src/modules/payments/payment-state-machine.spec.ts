import { canTransition, isFinal, statusFromEpay } from './payment-state-machine';
import { PaymentStatus as S } from './payment-status.enum';

describe('payment state machine', () => {
  const all = Object.values(S);

  it('never leaves a final state', () => {
    for (const from of [S.REFUNDED, S.CANCELLED, S.FAILED]) {
      expect(isFinal(from)).toBe(true);
      for (const to of all) expect(canTransition(from, to)).toBe(false);
    }
  });

  it('never moves a settled payment back to an unsettled state', () => {
    for (const from of [S.AUTHORIZED, S.CHARGED, S.PARTIALLY_REFUNDED]) {
      for (const to of [S.CREATED, S.PENDING, S.REQUIRES_3DS, S.UNKNOWN, S.FAILED]) {
        expect(canTransition(from, to)).toBe(false);
      }
    }
    expect(canTransition(S.CHARGED, S.AUTHORIZED)).toBe(false);
    expect(canTransition(S.CHARGED, S.CANCELLED)).toBe(false);
  });

  it('lets an unknown outcome be reconciled to anything the bank says', () => {
    for (const to of [S.PENDING, S.AUTHORIZED, S.CHARGED, S.FAILED, S.CANCELLED, S.REFUNDED]) {
      expect(canTransition(S.UNKNOWN, to)).toBe(true);
    }
  });

  it('walks the happy paths', () => {
    expect(canTransition(S.CREATED, S.REQUIRES_3DS)).toBe(true);
    expect(canTransition(S.REQUIRES_3DS, S.AUTHORIZED)).toBe(true);
    expect(canTransition(S.AUTHORIZED, S.CHARGED)).toBe(true);
    expect(canTransition(S.CHARGED, S.PARTIALLY_REFUNDED)).toBe(true);
    expect(canTransition(S.PARTIALLY_REFUNDED, S.REFUNDED)).toBe(true);
  });

  it('maps every ePay statusName', () => {
    expect(statusFromEpay('NEW')).toBe(S.PENDING);
    expect(statusFromEpay('AUTH')).toBe(S.AUTHORIZED);
    expect(statusFromEpay('CHARGE')).toBe(S.CHARGED);
    expect(statusFromEpay('CANCEL')).toBe(S.CANCELLED);
    expect(statusFromEpay('CANCEL_OLD')).toBe(S.CANCELLED);
    expect(statusFromEpay('FAILED')).toBe(S.FAILED);
    expect(statusFromEpay('REJECT')).toBe(S.FAILED);
    expect(statusFromEpay('3D')).toBe(S.FAILED);
    expect(statusFromEpay('REFUND', { amountMinor: 1222, orgAmountMinor: 2222 })).toBe(S.PARTIALLY_REFUNDED);
    expect(statusFromEpay('REFUND', { amountMinor: 0, orgAmountMinor: 2222 })).toBe(S.REFUNDED);
    expect(statusFromEpay('REFUND')).toBe(S.REFUNDED);
    expect(statusFromEpay('SOMETHING_NEW')).toBeUndefined();
  });
});
