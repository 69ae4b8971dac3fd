import { PaymentStatus } from '../../payments/payment-status.enum';
import { PaymentOperationKind } from '../payment-operation-kind.enum';
import { operationVerdict } from './operation-verdict.util';

const S = PaymentStatus;
const { CHARGE, CANCEL } = PaymentOperationKind;

describe('charge/cancel verdict from the payment status', () => {
  it('charge', () => {
    expect(operationVerdict(CHARGE, S.CHARGED, false)).toBe('succeeded');
    expect(operationVerdict(CHARGE, S.PARTIALLY_REFUNDED, false)).toBe('succeeded');
    expect(operationVerdict(CHARGE, S.CANCELLED, false)).toBe('failed');
    expect(operationVerdict(CHARGE, S.AUTHORIZED, false)).toBe('open');
    expect(operationVerdict(CHARGE, S.AUTHORIZED, true)).toBe('failed');
    expect(operationVerdict(CHARGE, S.UNKNOWN, true)).toBe('open');
  });

  it('cancel', () => {
    expect(operationVerdict(CANCEL, S.CANCELLED, false)).toBe('succeeded');
    expect(operationVerdict(CANCEL, S.CHARGED, false)).toBe('failed');
    expect(operationVerdict(CANCEL, S.AUTHORIZED, false)).toBe('open');
    expect(operationVerdict(CANCEL, S.AUTHORIZED, true)).toBe('failed');
  });
});
