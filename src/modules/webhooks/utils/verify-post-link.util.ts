import { createHash, timingSafeEqual } from 'node:crypto';
import { decimalToMinor, MoneyFormatError } from '../../../common/money/money.util';
import { decimal, field, int, nonEmpty, type JsonObject } from '../../../gateway/utils/epay-parse.util';
import type { PaymentEntity } from '../../payments/payment.entity';
import type { PostLinkVerdict } from '../post-link-callback.entity';

// What a callback says, read leniently (key case varies across ePay's samples, S1).
export interface PostLinkFacts {
  epayTransactionId?: string;
  invoiceId?: string;
  code?: string;
  reasonCode?: string;
  currency?: string;
  amount?: number | string;
  secretHash?: string;
}

export type PostLinkPayment = Pick<
  PaymentEntity,
  'id' | 'callbackToken' | 'secretHashDigest' | 'invoiceId' | 'amount' | 'currency'
>;

export interface PostLinkJudgement {
  verdict: Exclude<PostLinkVerdict, 'duplicate'>;
  reason?: string;
}

export function readPostLinkFacts(body: JsonObject | undefined): PostLinkFacts {
  if (!body) return {};
  const reasonCode = int(field(body, 'reasonCode'));
  return {
    epayTransactionId: nonEmpty(field(body, 'id')),
    invoiceId: nonEmpty(field(body, 'invoiceId')),
    code: nonEmpty(field(body, 'code'))?.toLowerCase(),
    reasonCode: reasonCode !== undefined ? String(reasonCode) : nonEmpty(field(body, 'reasonCode')),
    currency: nonEmpty(field(body, 'currency'))?.toUpperCase(),
    amount: decimal(field(body, 'amount')),
    // the docs only say secret_hash is "returned to Postlink" (API.md §8): take the likely spellings
    secretHash: nonEmpty(field(body, 'secret_hash', 'secretHash')),
  };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

// Constant-time comparison of two secrets of any length (both are hashed to 32 bytes first).
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(sha256(given), sha256(expected));
}

// secret_hash_digest holds hex SHA-256 of the secret we gave ePay; compare digests in constant time.
export function secretMatchesDigest(given: string | undefined, digestHex: string): boolean {
  if (given === undefined || !/^[0-9a-f]{64}$/i.test(digestHex)) return false;
  return timingSafeEqual(sha256(given), Buffer.from(digestHex, 'hex'));
}

// A callback is only a hint (ePay signs nothing, API.md §8): whatever reaches a payment's own URL (its
// token) leads to a status check, and the bank's answer decides. The verdict records what the
// callback looked like: seed 001's bodies carry no secret_hash, so its absence is no reason to
// doubt; a secret_hash present and wrong is suspicious; invoice, amount or currency that disagree
// are a mismatch.
export function judgePostLink(
  payment: PostLinkPayment | null,
  token: string | undefined,
  body: JsonObject | undefined,
  facts: PostLinkFacts,
): PostLinkJudgement {
  if (!payment) return { verdict: 'unknown_payment', reason: 'no such payment' };
  if (!sameSecret(token, payment.callbackToken))
    return { verdict: 'rejected_token', reason: token ? 'token does not match' : 'no token' };
  if (!body) return { verdict: 'malformed', reason: 'no readable body' };
  if (
    payment.secretHashDigest &&
    facts.secretHash !== undefined &&
    !secretMatchesDigest(facts.secretHash, payment.secretHashDigest)
  ) {
    return { verdict: 'suspicious_secret', reason: 'secret_hash does not match' };
  }
  if (facts.invoiceId !== payment.invoiceId) {
    return { verdict: 'mismatch', reason: `invoiceId ${facts.invoiceId ?? '(none)'} is not ${payment.invoiceId}` };
  }
  const currency = payment.currency.trim();
  if (facts.currency !== currency)
    return { verdict: 'mismatch', reason: `currency ${facts.currency ?? '(none)'} is not ${currency}` };
  if (facts.amount === undefined) return { verdict: 'mismatch', reason: 'no amount' };
  let amountMinor: number;
  try {
    amountMinor = decimalToMinor(facts.amount, currency);
  } catch (err) {
    if (err instanceof MoneyFormatError)
      return { verdict: 'mismatch', reason: `amount ${String(facts.amount)}: ${err.message}` };
    throw err;
  }
  if (amountMinor !== payment.amount) {
    return { verdict: 'mismatch', reason: `amount ${amountMinor} is not ${payment.amount} (minor units)` };
  }
  return { verdict: 'accepted' };
}

// The same outcome of the same bank transaction, however often (or on whichever of our two URLs) it
// arrives, is processed once.
export function postLinkDedupeKey(paymentId: string, facts: PostLinkFacts): string {
  return [paymentId, facts.epayTransactionId ?? '-', facts.code ?? '-', facts.reasonCode ?? '-'].join(':');
}
