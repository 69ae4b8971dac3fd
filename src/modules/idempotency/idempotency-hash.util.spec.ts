import { canonicalRequest, requestHash } from './idempotency-hash.util';

describe('idempotency request hash', () => {
  const body = { amount: 1000, card: { number: '4405639704015096', cvc: '815', expMonth: 1, expYear: 2025 } };

  it('is stable under key order and ignores nothing that is not sensitive', () => {
    expect(requestHash('s', { a: 1, b: 2 })).toBe(requestHash('s', { b: 2, a: 1 }));
    expect(requestHash('s', { ...body, amount: 1001 })).not.toBe(requestHash('s', body));
    expect(requestHash('other', body)).not.toBe(requestHash('s', body));
  });

  it('never contains the card number or CVC in what it hashes', () => {
    const text = JSON.stringify(canonicalRequest(body));
    expect(text).not.toContain('4405639704015096');
    expect(text).not.toContain('815');
    expect(text).toContain('pan:5096');
  });

  it('still tells different cards apart by their last four digits', () => {
    const other = { ...body, card: { ...body.card, number: '5522042705066736' } };
    expect(requestHash('s', other)).not.toBe(requestHash('s', body));
  });
});
