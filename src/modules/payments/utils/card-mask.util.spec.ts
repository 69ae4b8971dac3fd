import { cardBrand, last4FromMask } from './card-mask.util';

describe('card mask utils', () => {
  it('reads the last four digits from the masks ePay sends', () => {
    expect(last4FromMask('440563...5096')).toBe('5096');
    expect(last4FromMask('4405-63XX-XXXX-5096')).toBe('5096');
    expect(last4FromMask(null)).toBeNull();
    expect(last4FromMask('****')).toBeNull();
  });

  it('names the brand from the first digits', () => {
    expect(cardBrand('4405639704015096')).toBe('VISA');
    expect(cardBrand('5522042705066736')).toBe('MASTERCARD');
    expect(cardBrand('2221000000000009')).toBe('MASTERCARD');
    expect(cardBrand('377514500004820')).toBe('AMEX');
    expect(cardBrand('2200000000000004')).toBe('MIR');
    expect(cardBrand('9999999999999995')).toBeNull();
  });
});
