import { field, obj, str, type Json } from './sandbox-body.util';
import { cardTypeOf, maskPan, shortMaskPan } from './sandbox-format.util';
import { EMU_CODES, EPAY_CODES, NOT_PERMITTED_MESSAGE } from './sandbox-http.util';
import { decryptCryptogram } from './sandbox-keys.util';
import type { RejectReason, ResolvedCard } from './sandbox-payment.service';
import { CARD_PROFILES, DEFAULT_ISSUER, GOOGLE_PAY_LAST4, resolveCard } from './sandbox-test-cards.constant';
import type { SandboxContext } from './sandbox.context';

// Turns a /payment/cryptopay body into the "card" the issuer will judge. The PAN lives only in local
// variables here: the result carries a mask and an HMAC hash.

export interface MethodResult {
  card?: ResolvedCard;
  reject?: RejectReason;
  savedCardId?: string; // cardId payments keep the card's id on the transaction
  allowThreeDs: boolean;
}

export function resolvePaymentMethod(ctx: SandboxContext, body: Json, paymentType: string): MethodResult {
  switch (paymentType.toLowerCase()) {
    case '':
    case 'card':
      return fromCryptogram(ctx, body);
    case 'googlepay':
      return fromGooglePay(body);
    case 'applepay':
      return fromApplePay(body);
    case 'cardid':
      return {
        reject: { code: EPAY_CODES.formatError, message: 'cardId payments go to /payments/cards/auth' },
        allowThreeDs: false,
      };
    default:
      // masterPass, halykId…: not emulated
      return { reject: { code: EPAY_CODES.notPermitted, message: NOT_PERMITTED_MESSAGE }, allowThreeDs: false };
  }
}

export function fromPlainCard(ctx: SandboxContext, pan: string, expDate: string, cvc: string): ResolvedCard {
  const digits = pan.replace(/\s/g, '');
  const r = resolveCard({ pan: digits, expDate, cvc });
  return {
    profile: r.profile,
    cardType: r.cardType,
    issuer: r.issuer,
    cardMask: maskPan(digits),
    shortMask: shortMaskPan(digits),
    cardHash: ctx.store.cardHash(digits),
  };
}

function fromCryptogram(ctx: SandboxContext, body: Json): MethodResult {
  // The SDK and the docs' tables spell it with a Cyrillic "с" (U+0441); examples use Latin.
  const cryptogram = str(body, 'cryptogram', '\u0441ryptogram');
  if (!cryptogram)
    return { reject: { code: EPAY_CODES.formatError, message: 'cryptogram is required' }, allowThreeDs: false };
  // GUESS (1002): the bank's answer to an undecryptable cryptogram is undocumented.
  const decryptError = {
    reject: { code: EMU_CODES.decryptError, message: 'cryptogram decrypt error' },
    allowThreeDs: false,
  };
  const plain = decryptCryptogram(ctx.keys, cryptogram);
  if (plain === undefined) return decryptError;
  let parsed: Json;
  try {
    parsed = JSON.parse(plain) as Json;
  } catch {
    return decryptError;
  }
  const pan = str(parsed, 'hpan');
  const expDate = str(parsed, 'expDate') ?? '';
  const cvc = str(parsed, 'cvc') ?? '';
  const terminalId = str(parsed, 'terminalId');
  if (!pan) return decryptError;
  if (terminalId !== ctx.store.config.terminalId) {
    return { reject: { code: EPAY_CODES.invalidMerchant, message: 'Invalid merchant' }, allowThreeDs: false };
  }
  return { card: fromPlainCard(ctx, pan, expDate, cvc), allowThreeDs: true };
}

const WALLET_BIN: Record<string, string> = { VISA: '411111', MASTERCARD: '555555', AMEX: '377777' };

function fromGooglePay(body: Json): MethodResult {
  const gp = obj(body, 'googlePay');
  const pmd = obj(gp, 'paymentMethodData');
  const token = str(obj(pmd, 'tokenizationData'), 'token');
  if (!token)
    return { reject: { code: EPAY_CODES.formatError, message: 'googlePay token is required' }, allowThreeDs: false };
  const info = obj(pmd, 'info');
  const last4 = (str(info, 'cardDetails') ?? '0000').slice(-4);
  const network = (str(info, 'cardNetwork') ?? 'VISA').toUpperCase();
  return {
    card: {
      profile: GOOGLE_PAY_LAST4[last4] ?? CARD_PROFILES.approve,
      cardType: network,
      issuer: DEFAULT_ISSUER,
      cardMask: `${WALLET_BIN[network] ?? '400000'}...${last4}`,
    },
    allowThreeDs: true,
  };
}

// S4 sends a merchant-decrypted "cryptogramApplePay" string; the SDK sends the raw token as "applePay".
function fromApplePay(body: Json): MethodResult {
  const raw = field(body, 'cryptogramApplePay', 'applePay');
  if (raw === undefined || raw === '') {
    return { reject: { code: EPAY_CODES.formatError, message: 'cryptogramApplePay is required' }, allowThreeDs: false };
  }
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  const profile = /decline/i.test(text) ? CARD_PROFILES.declinedByIssuer : CARD_PROFILES.approve;
  return {
    card: { profile, cardType: cardTypeOf('4'), issuer: DEFAULT_ISSUER, cardMask: `${WALLET_BIN.VISA}...0000` },
    allowThreeDs: false,
  };
}
