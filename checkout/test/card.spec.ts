import { brandOf, expired, formatExpiry, formatNumber, luhnValid, parseExpiry, validateCard } from '../src/card';
import { TEXTS } from '../src/i18n';

describe('checkout kit: card checks in the browser', () => {
  it('accepts Luhn-valid numbers only, 12 to 19 digits, spaces and dashes ignored', () => {
    expect(luhnValid('4405 6397 0401 5096')).toBe(true);
    expect(luhnValid('4405-6397-0401-5097')).toBe(false);
    expect(luhnValid('377514500004820')).toBe(true);
    expect(luhnValid('4242')).toBe(false);
    expect(luhnValid('4'.repeat(20))).toBe(false);
  });

  it('detects the brand from the first digits', () => {
    expect(brandOf('4405')).toBe('visa');
    expect(brandOf('5522 04')).toBe('mastercard');
    expect(brandOf('2221 00')).toBe('mastercard');
    expect(brandOf('3775')).toBe('amex');
    expect(brandOf('2200 12')).toBe('mir');
    expect(brandOf('6200')).toBe('unionpay');
    expect(brandOf('3530')).toBe('jcb');
    expect(brandOf('9999')).toBe('unknown');
  });

  it('formats as typed: groups of four (amex 4-6-5), MM/YY', () => {
    expect(formatNumber('4405639704015096')).toBe('4405 6397 0401 5096');
    expect(formatNumber('377514500004820')).toBe('3775 145000 04820');
    expect(formatExpiry('0125')).toBe('01/25');
    expect(formatExpiry('1')).toBe('1');
  });

  it('reads expiry dates and knows when a card has expired (good through its month)', () => {
    expect(parseExpiry('01/25')).toEqual({ month: 1, year: 2025 });
    expect(parseExpiry('1 / 2031')).toEqual({ month: 1, year: 2031 });
    expect(parseExpiry('13/25')).toBeNull();
    expect(parseExpiry('ab')).toBeNull();
    const now = new Date(2026, 11, 4);
    expect(expired({ month: 12, year: 2026 }, now)).toBe(false);
    expect(expired({ month: 11, year: 2026 }, now)).toBe(true);
  });

  it('names every wrong field, and builds the card the API takes when all are right', () => {
    const now = new Date(2026, 11, 4);
    const bad = validateCard({ number: '4405 6397 0401 5097', expiry: '11/26', cvc: '81', holder: '' }, { now });
    expect(bad).toEqual({
      ok: false,
      errors: { number: 'invalid_number', expiry: 'expired', cvc: 'invalid_cvc', holder: 'required' },
    });
    expect(validateCard({ number: '3775 145000 04820', expiry: '01/30', cvc: '123', holder: 'A B' }, { now })).toEqual({
      ok: false,
      errors: { cvc: 'invalid_cvc' },
    });
    const good = validateCard(
      { number: '4405 6397 0401 5096', expiry: '01/25', cvc: '815', holder: ' Арман  Әли ' },
      { now, allowExpired: true },
    );
    expect(good).toEqual({
      ok: true,
      card: { number: '4405639704015096', expMonth: 1, expYear: 2025, cvc: '815', holder: 'Арман Әли' },
    });
  });

  it('has every text in Russian, Kazakh and English', () => {
    const shape = (o: object): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? shape(v as object).map((s) => `${k}.${s}`) : [k]));
    const eng = shape(TEXTS.eng).sort();
    expect(shape(TEXTS.rus).sort()).toEqual(eng);
    expect(shape(TEXTS.kaz).sort()).toEqual(eng);
    for (const lang of ['rus', 'kaz'] as const) expect(TEXTS[lang].pay).not.toBe(TEXTS.eng.pay);
  });
});
