import { createHash } from 'node:crypto';
import {
  judgePostLink,
  postLinkDedupeKey,
  PostLinkPayment,
  readPostLinkFacts,
  sameSecret,
  secretMatchesDigest,
} from './verify-post-link.util';

const SECRET = 'our-secret-hash-value';
const payment: PostLinkPayment = {
  id: '6a1f0e55-8f1c-4a53-9c7f-6d3f0b7c1e11',
  callbackToken: 'callback-token-123',
  secretHashDigest: createHash('sha256').update(SECRET).digest('hex'),
  invoiceId: '100000123',
  amount: 10050,
  currency: 'KZT',
};

// S1's success body, for our payment; an override of undefined removes the key (as in real JSON)
const body = (overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  Object.fromEntries(Object.entries({ ...base, ...overrides }).filter(([, v]) => v !== undefined));
const base = {
  accountId: 'acct',
  amount: 100.5,
  code: 'ok',
  currency: 'KZT',
  id: 'e8a09f98-04b4-71a6-e053-1d1a000aa0d2',
  invoiceId: '100000123',
  reason: 'success',
  reasonCode: 0,
  secret_hash: SECRET,
};

const judgeWith = (
  b: Record<string, unknown> | undefined,
  token: string | undefined,
  p: PostLinkPayment | null = payment,
) => judgePostLink(p, token, b, readPostLinkFacts(b));
const judge = (b: Record<string, unknown> | undefined) => judgeWith(b, payment.callbackToken);

describe('postLink verification', () => {
  it('accepts a callback with our token, our secret and the same invoice, amount and currency', () => {
    expect(judge(body())).toEqual({ verdict: 'accepted' });
    // amounts may come as strings, keys in other casing (S0/S1 disagree)
    expect(
      judge(
        body({
          amount: '100.50',
          invoiceId: undefined,
          invoiceID: '100000123',
          secret_hash: undefined,
          secretHash: SECRET,
        }),
      ),
    ).toEqual({ verdict: 'accepted' });
  });

  it('rejects an unknown payment and a wrong or missing token; a wrong secret is suspicious, a missing one (seed 001) is fine', () => {
    expect(judgeWith(body(), payment.callbackToken, null).verdict).toBe('unknown_payment');
    expect(judgeWith(body(), 'callback-token-124').verdict).toBe('rejected_token');
    expect(judgeWith(body(), undefined).verdict).toBe('rejected_token');
    expect(judge(body({ secret_hash: 'guess' }))).toEqual({
      verdict: 'suspicious_secret',
      reason: 'secret_hash does not match',
    });
    expect(judge(body({ secret_hash: undefined })).verdict).toBe('accepted');
    // a wrong token is judged before the body is even read
    expect(judgeWith(undefined, 'nope').verdict).toBe('rejected_token');
    expect(judge(undefined).verdict).toBe('malformed');
  });

  it('judges only the token when the payment was created without a secret', () => {
    expect(
      judgeWith(body({ secret_hash: undefined }), payment.callbackToken, { ...payment, secretHashDigest: null })
        .verdict,
    ).toBe('accepted');
  });

  it('refuses a callback about another invoice, amount or currency (decimal to minor units, exactly)', () => {
    expect(judge(body({ invoiceId: '100000124' }))).toMatchObject({
      verdict: 'mismatch',
      reason: expect.stringMatching(/invoiceId/),
    });
    expect(judge(body({ amount: 100.49 }))).toMatchObject({
      verdict: 'mismatch',
      reason: 'amount 10049 is not 10050 (minor units)',
    });
    expect(judge(body({ amount: 10050 }))).toMatchObject({ verdict: 'mismatch' });
    expect(judge(body({ amount: '100.505' }))).toMatchObject({
      verdict: 'mismatch',
      reason: expect.stringMatching(/decimal places/),
    });
    expect(judge(body({ amount: undefined }))).toMatchObject({ verdict: 'mismatch', reason: 'no amount' });
    expect(judge(body({ currency: 'USD' }))).toMatchObject({
      verdict: 'mismatch',
      reason: expect.stringMatching(/currency/),
    });
  });

  it('compares secrets in constant time whatever their length', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
    expect(secretMatchesDigest(SECRET, payment.secretHashDigest!)).toBe(true);
    expect(secretMatchesDigest(SECRET, 'not-a-digest')).toBe(false);
  });

  it('keys duplicates by payment, bank transaction and outcome', () => {
    const a = postLinkDedupeKey(payment.id, readPostLinkFacts(body()));
    expect(a).toBe(`${payment.id}:e8a09f98-04b4-71a6-e053-1d1a000aa0d2:ok:0`);
    expect(postLinkDedupeKey(payment.id, readPostLinkFacts(body({ code: 'error', reasonCode: -498 })))).not.toBe(a);
    expect(postLinkDedupeKey(payment.id, readPostLinkFacts(body({ amount: '100.5' })))).toBe(a);
  });
});
