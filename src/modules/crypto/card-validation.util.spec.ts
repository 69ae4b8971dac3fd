import { expDateMMYY, validateCard } from './card-validation.util';

const now = new Date('2026-11-23T00:00:00Z');
const ok = { number: '4111 1111 1111 1111', expMonth: 11, expYear: 2026, cvc: '123' };

describe('validateCard', () => {
  it('accepts a valid card through the last day of its expiry month', () => {
    expect(validateCard(ok, { now, allowDocumentedTestCards: false })).toEqual([]);
  });

  it('names each wrong field', () => {
    const errors = validateCard(
      { number: '4111111111111112', expMonth: 13, expYear: 2026, cvc: '12' },
      { now, allowDocumentedTestCards: false },
    );
    expect(errors.map((e) => e.field).sort()).toEqual(['card.cvc', 'card.expMonth', 'card.number']);
  });

  it('refuses expired cards, except the bank test cards when allowed', () => {
    const old = { number: '4405639704015096', expMonth: 1, expYear: 25, cvc: '815' };
    expect(validateCard(old, { now, allowDocumentedTestCards: false })).toEqual([
      { field: 'card.expYear', message: 'card has expired' },
    ]);
    expect(validateCard(old, { now, allowDocumentedTestCards: true })).toEqual([]);
    expect(validateCard({ ...ok, expMonth: 10 }, { now, allowDocumentedTestCards: true })).toHaveLength(1);
  });

  it('wants 4-digit CVCs for Amex only', () => {
    expect(
      validateCard(
        { number: '377514500004820', expMonth: 1, expYear: 2030, cvc: '4169' },
        { now, allowDocumentedTestCards: false },
      ),
    ).toEqual([]);
    expect(validateCard({ ...ok, cvc: '1234' }, { now, allowDocumentedTestCards: false })[0].field).toBe('card.cvc');
  });

  it('formats expiry as MMYY', () => {
    expect(expDateMMYY({ expMonth: 1, expYear: 2025 })).toBe('0125');
    expect(expDateMMYY({ expMonth: 10, expYear: 22 })).toBe('1022');
  });
});
