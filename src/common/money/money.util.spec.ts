import { decimalToMinor, minorToDecimalString, minorToGatewayAmount, MoneyFormatError } from './money.util';

describe('money', () => {
  it('formats minor units as decimals without float maths', () => {
    expect(minorToDecimalString(12345, 'KZT')).toBe('123.45');
    expect(minorToDecimalString(5, 'KZT')).toBe('0.05');
    expect(minorToDecimalString(100, 'KZT')).toBe('1.00');
    expect(minorToDecimalString(-250, 'USD')).toBe('-2.50');
    expect(JSON.stringify({ amount: minorToGatewayAmount(1222, 'KZT') })).toBe('{"amount":12.22}');
    expect(JSON.stringify({ amount: minorToGatewayAmount(1000, 'KZT') })).toBe('{"amount":10}');
  });

  it('parses the bank decimals exactly, including classic float traps', () => {
    expect(decimalToMinor(12.22, 'KZT')).toBe(1222);
    expect(decimalToMinor(0.29, 'KZT')).toBe(29); // 0.29 * 100 === 28.999999999999996
    expect(() => decimalToMinor(1.005, 'KZT')).toThrow(MoneyFormatError); // three decimals are refused, not rounded
  });

  it('refuses extra precision, garbage and unknown currencies', () => {
    expect(() => decimalToMinor('1.005', 'KZT')).toThrow(MoneyFormatError);
    expect(() => decimalToMinor('12,5', 'KZT')).toThrow(MoneyFormatError);
    expect(() => decimalToMinor('10', 'XXX')).toThrow(MoneyFormatError);
    expect(() => minorToDecimalString(1.5, 'KZT')).toThrow(MoneyFormatError);
  });

  it('round-trips every amount up to 1,000,000.00 sampled', () => {
    for (let minor = 0; minor <= 100_000_000; minor += 9_973) {
      expect(decimalToMinor(minorToGatewayAmount(minor, 'KZT'), 'KZT')).toBe(minor);
    }
  });
});
