import { randomUUID } from 'node:crypto';
import {
  containsCardNumber,
  containsWrittenCardNumber,
  looksLikeCardNumber,
  luhnValid,
  maskCardNumbers,
  maskPan,
  redact,
  REDACTED,
  redactString,
} from './redact.util';

describe('redact', () => {
  it('replaces card fields, secrets and tokens at any depth', () => {
    const out = redact({
      card: { number: '4405639704015096', cvc: '815', expMonth: 1, holder: 'ARMAN ALI' },
      access_token: 'abc',
      client_secret: 'xyz',
      сryptogram: 'base64==',
      nested: [{ Authorization: 'Bearer k' }],
      amount: 100,
    });
    expect(out).toEqual({
      card: { number: REDACTED, cvc: REDACTED, expMonth: REDACTED, holder: 'ARMAN ALI' },
      access_token: REDACTED,
      client_secret: REDACTED,
      сryptogram: REDACTED,
      nested: [{ Authorization: REDACTED }],
      amount: 100,
    });
  });

  it('masks Luhn-valid card numbers inside free text but leaves other numbers', () => {
    expect(redactString('paid with 4405 6397 0401 5096 ok')).toBe('paid with 440563...5096 ok');
    expect(redactString('invoice 123456789012345')).toBe('invoice 123456789012345');
  });

  it('hides secrets carried in URL query strings', () => {
    expect(redactString('https://api.example.kz/v1/webhooks/epay/post-link?pid=1&token=abcdefSECRET')).toBe(
      'https://api.example.kz/v1/webhooks/epay/post-link?pid=1&token=[REDACTED]',
    );
    expect(redact({ postLink: 'https://x.kz/p?token=s3cr3t-value&x=1' })).toEqual({
      postLink: 'https://x.kz/p?token=[REDACTED]&x=1',
    });
  });

  it('checks Luhn and masks PANs', () => {
    expect(luhnValid('4405639704015096')).toBe(true);
    expect(luhnValid('4405639704015097')).toBe(false);
    expect(maskPan('5522042705066736')).toBe('552204...6736');
  });
});

describe('card numbers next to letters and in free text', () => {
  it('finds a number glued to letters in logs', () => {
    expect(redactString('x4405639704015096')).toBe('x440563...5096');
    expect(redactString('id=4405639704015096abc')).toBe('id=440563...5096abc');
  });

  it('masks only Luhn-valid numbers with a card-network prefix in stored free text', () => {
    expect(maskCardNumbers('card x4405639704015096y')).toBe('card x440563...5096y');
    expect(maskCardNumbers('Mastercard 5522 0427 0506 6736, Amex 377514500004820')).toBe(
      'Mastercard 552204...6736, Amex 377514...4820',
    );
    // Luhn-valid but no network prefix (an order number), and a digit run too long to be a card
    expect(maskCardNumbers('order 1234567890128 ref 00004405639704015096')).toBe(
      'order 1234567890128 ref 00004405639704015096',
    );
    expect(looksLikeCardNumber('4405639704015096')).toBe(true);
    expect(looksLikeCardNumber('9405639704015095')).toBe(false);
  });
});

describe('containsWrittenCardNumber (refusing Idempotency-Keys)', () => {
  it('finds card numbers as people write them, also glued to letters', () => {
    for (const v of ['4405639704015096', 'x4405639704015096', 'order-4405-6397-0401-5096', '3775 145000 04820'])
      expect([v, containsWrittenCardNumber(v)]).toEqual([v, true]);
  });

  it('does not take UUIDs for card numbers (their digit groups are 8-4-4-4-12)', () => {
    // digit groups that read as a Luhn-valid card number when the dashes are dropped
    const uuid = '44056397-0401-5096-1234-abcdefabcdef';
    expect(containsCardNumber(uuid)).toBe(false);
    expect(redactString(`payment ${uuid}`)).toBe(`payment ${uuid}`);
    for (let i = 0; i < 20000; i++) {
      const id = randomUUID();
      expect(maskCardNumbers(id)).toBe(id);
    }
    for (let i = 0; i < 20000; i++) expect(containsWrittenCardNumber(randomUUID())).toBe(false);
    expect(containsWrittenCardNumber(uuid)).toBe(false);
  });
});
