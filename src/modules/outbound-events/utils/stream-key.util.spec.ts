import { streamKeyFor } from './stream-key.util';

describe('streamKeyFor', () => {
  it('orders a payment by its id', () => {
    expect(streamKeyFor('payment', 'p1', {})).toBe('payment:p1');
  });
  it('puts a refund in its payment stream', () => {
    expect(streamKeyFor('refund', 'r1', { paymentId: 'p1' })).toBe('payment:p1');
  });
  it('gives a transfer (no payment) its own stream', () => {
    expect(streamKeyFor('transfer', 't1', { paymentId: null })).toBe('transfer:t1');
    expect(streamKeyFor('refund', 'r2', {})).toBe('refund:r2');
  });
});
