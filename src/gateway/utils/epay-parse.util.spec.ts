import { bool, decimal, field, int, str } from './epay-parse.util';

describe('epay parsing', () => {
  it('finds fields whatever their casing', () => {
    const body = { InvoiceID: '000123', accountID: 'a1', Card_Mask: '4405...5096' };
    expect(field(body, 'invoiceId')).toBe('000123');
    expect(field(body, 'accountId')).toBe('a1');
    expect(field(body, 'cardMask')).toBe('4405...5096');
    expect(field(body, 'missing')).toBeUndefined();
    expect(field('not an object', 'x')).toBeUndefined();
  });

  it('reads numbers sent as strings and rejects junk', () => {
    expect(int('7200')).toBe(7200);
    expect(int(7200)).toBe(7200);
    expect(int('72a')).toBeUndefined();
    expect(int(1.5)).toBeUndefined();
    expect(str(100)).toBe('100');
    expect(bool('yes')).toBe(true);
    expect(bool(false)).toBe(false);
    expect(decimal('12.22')).toBe('12.22');
    expect(decimal('x')).toBeUndefined();
  });
});
