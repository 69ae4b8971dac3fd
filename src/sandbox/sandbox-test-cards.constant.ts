import { cardTypeOf, luhnValid } from './sandbox-format.util';

// How the sandbox "issuer" answers. Seed cards come from the bank's docs (seeds S2/S3); the 4000… cards are
// emulator-only magic numbers. Saved cards remember the profile key, never the PAN.

export type CardOutcome = 'approve' | 'decline' | '3ds' | 'pending';

export interface CardProfile {
  key: string;
  outcome: CardOutcome;
  reasonCode: number; // 0 for approve/3ds
  message: string;
  statusName?: 'FAILED' | 'REJECT';
}

export interface TestCard {
  pan: string;
  expiry?: string; // MMYY the bank published; undefined = any future expiry
  cvc?: string; // undefined = any CVC
  issuer: string;
  profile: CardProfile;
  source: 'seed' | 'emulator';
}

const profile = (p: CardProfile): CardProfile => p;

export const CARD_PROFILES = {
  approve: profile({ key: 'approve', outcome: 'approve', reasonCode: 0, message: 'success' }),
  threeDs: profile({ key: 'threeDs', outcome: '3ds', reasonCode: 0, message: 'success' }),
  pending: profile({
    key: 'pending',
    outcome: 'pending',
    reasonCode: 454,
    message: 'Amount may be blocked, check the status',
  }),
  insufficientFunds: profile({
    key: 'insufficientFunds',
    outcome: 'decline',
    reasonCode: 484,
    message: 'Insufficient funds',
    statusName: 'FAILED',
  }),
  declinedByIssuer: profile({
    key: 'declinedByIssuer',
    outcome: 'decline',
    reasonCode: 462,
    message: 'Declined by issuer, call your bank',
    statusName: 'FAILED',
  }),
  restricted: profile({
    key: 'restricted',
    outcome: 'decline',
    reasonCode: 465,
    message: 'Restricted card',
    statusName: 'REJECT',
  }),
  expired: profile({
    key: 'expired',
    outcome: 'decline',
    reasonCode: 478,
    message: 'Expired card',
    statusName: 'REJECT',
  }),
  badExpiry: profile({
    key: 'badExpiry',
    outcome: 'decline',
    reasonCode: 457,
    message: 'Incorrect expiry date',
    statusName: 'FAILED',
  }),
  badCvc: profile({
    key: 'badCvc',
    outcome: 'decline',
    reasonCode: 459,
    message: 'Check the card data',
    statusName: 'FAILED',
  }),
  noSuchCard: profile({
    key: 'noSuchCard',
    outcome: 'decline',
    reasonCode: 471,
    message: 'No such card',
    statusName: 'FAILED',
  }),
} as const;

export const TEST_CARDS: readonly TestCard[] = [
  {
    pan: '4405639704015096',
    expiry: '0125',
    cvc: '815',
    issuer: 'Halyk Bank',
    profile: CARD_PROFILES.approve,
    source: 'seed',
  },
  {
    pan: '5522042705066736',
    expiry: '0125',
    cvc: '525',
    issuer: 'Halyk Bank',
    profile: CARD_PROFILES.threeDs,
    source: 'seed',
  },
  {
    pan: '377514500004820',
    expiry: '0125',
    cvc: '4169',
    issuer: 'Halyk Bank',
    profile: CARD_PROFILES.restricted,
    source: 'seed',
  },
  {
    pan: '4003032704547597',
    expiry: '0920',
    cvc: '170',
    issuer: 'Halyk Bank',
    profile: CARD_PROFILES.expired,
    source: 'seed',
  },
  {
    pan: '5578342710750560',
    expiry: '0920',
    cvc: '254',
    issuer: 'Halyk Bank',
    profile: CARD_PROFILES.expired,
    source: 'seed',
  },
  { pan: '4111111111111111', issuer: 'Sandbox Bank', profile: CARD_PROFILES.approve, source: 'emulator' },
  { pan: '4000000000000002', issuer: 'Sandbox Bank', profile: CARD_PROFILES.insufficientFunds, source: 'emulator' },
  { pan: '4000000000003220', issuer: 'Sandbox Bank', profile: CARD_PROFILES.threeDs, source: 'emulator' },
  { pan: '4000000000000119', issuer: 'Sandbox Bank', profile: CARD_PROFILES.pending, source: 'emulator' },
  { pan: '4000000000009995', issuer: 'Sandbox Bank', profile: CARD_PROFILES.declinedByIssuer, source: 'emulator' },
];

// Google Pay carries only the last four digits (paymentMethodData.info.cardDetails).
export const GOOGLE_PAY_LAST4: Readonly<Record<string, CardProfile>> = {
  '1111': CARD_PROFILES.approve,
  '0002': CARD_PROFILES.insufficientFunds,
  '3333': CARD_PROFILES.threeDs,
  '3220': CARD_PROFILES.threeDs,
  '0119': CARD_PROFILES.pending,
  '9995': CARD_PROFILES.declinedByIssuer,
};

export const DEFAULT_ISSUER = 'Sandbox Bank';

export function profileByKey(key: string | undefined): CardProfile {
  const found = Object.values(CARD_PROFILES).find((p) => p.key === key);
  return found ?? CARD_PROFILES.approve;
}

export interface CardInput {
  pan: string;
  expDate: string; // MMYY
  cvc: string;
}

export interface CardResolution {
  profile: CardProfile;
  cardType: string;
  issuer: string;
}

// MMYY in the past (end of month) or malformed?
function expiryState(mmyy: string, now: Date): 'valid' | 'expired' | 'invalid' {
  const m = /^(\d{2})(\d{2})$/.exec(mmyy);
  if (!m) return 'invalid';
  const month = Number(m[1]);
  if (month < 1 || month > 12) return 'invalid';
  const year = 2000 + Number(m[2]);
  const nowKey = now.getUTCFullYear() * 12 + now.getUTCMonth();
  return year * 12 + (month - 1) < nowKey ? 'expired' : 'valid';
}

export function resolveCard(card: CardInput, now: Date = new Date()): CardResolution {
  const pan = card.pan.replace(/\s/g, '');
  const known = TEST_CARDS.find((c) => c.pan === pan);
  const cardType = cardTypeOf(pan);
  const issuer = known?.issuer ?? DEFAULT_ISSUER;
  const exp = expiryState(card.expDate, now);
  const out = (p: CardProfile): CardResolution => ({ profile: p, cardType, issuer });

  if (known?.source === 'seed') {
    // The published expiry is accepted even though it is in the past (the bank keeps its test cards alive);
    // any other future expiry is accepted too, a wrong past one is not.
    if (exp === 'invalid' || (card.expDate !== known.expiry && exp !== 'valid')) return out(CARD_PROFILES.badExpiry);
    if (known.cvc !== undefined && card.cvc !== known.cvc) return out(CARD_PROFILES.badCvc);
    return out(known.profile);
  }
  if (!known && !luhnValid(pan)) return out(CARD_PROFILES.noSuchCard);
  if (exp === 'invalid') return out(CARD_PROFILES.badExpiry);
  if (exp === 'expired') return out(CARD_PROFILES.expired);
  return out(known?.profile ?? CARD_PROFILES.approve);
}
