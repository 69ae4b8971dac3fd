// Card data, secrets and tokens never leave the process in logs, stored exchanges or error bodies.
// Keys are matched case-insensitively after removing non-letters, so "access_token", "accessToken"
// and the bank's Cyrillic-initial "сryptogram" all match.
const SENSITIVE_KEYS = new Set(
  [
    'pan',
    'hpan',
    'cardnumber',
    'number',
    'cardcred',
    'cvc',
    'cvv',
    'cvc2',
    'expdate',
    'expmonth',
    'expyear',
    'expire',
    'expiry',
    'cryptogram',
    'ryptogram', // "сryptogram" with a Cyrillic first letter loses it when non-Latin letters are stripped
    'cryptogramapplepay',
    'token',
    'accesstoken',
    'refreshtoken',
    'clientsecret',
    'secret',
    'secrethash',
    'password',
    'authorization',
    'xapikey',
    'apikey',
    'cookie',
    'pares',
    'pareq',
    'googlepay',
    'applepay',
    'tokenizationdata',
    'paymentmethoddata',
    'auth',
  ].map((k) => k.toLowerCase()),
);

export const REDACTED = '[REDACTED]';

const normaliseKey = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

// 13–19 digit runs (optionally split by spaces or dashes) that pass Luhn are card numbers. Bounded by
// "not a digit" rather than \b, so a number glued to letters (x4405639704015096) is found too.
const PAN_CANDIDATE = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;
// issuer prefixes of the networks that use 13–19 digit numbers: Visa, Mastercard (51–55, 2221–2720),
// Mir (2200–2204), Amex, Diners, JCB, Discover/UnionPay/Maestro (6…, 50, 56–58)
const CARD_NETWORK_PREFIX =
  /^(?:4|5[0-8]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|220[0-4]|3[47]|3(?:0[0-5]|[689])|35|6)/;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export function maskPan(pan: string): string {
  const digits = pan.replace(/\D/g, '');
  if (digits.length < 10) return REDACTED;
  return `${digits.slice(0, 6)}...${digits.slice(-4)}`;
}

// Secrets that travel in URLs we hand out or receive (our postLink token, OAuth tokens).
const URL_SECRET = /([?&](?:token|access_token|secret_hash|Access)=)[^&\s"'#]+/g;

// A UUID's digit groups (8-4-4-4-12) can read as a Luhn-valid number; a card number never fits inside one
// (at most 12 digits in a row), so digits within a UUID are never taken for a card.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function withinUuid(value: string, start: number, length: number): boolean {
  for (const m of value.matchAll(UUID)) if (start >= m.index && start + length <= m.index + m[0].length) return true;
  return false;
}

export function redactString(value: string): string {
  if (value.length < 13) return value;
  return value.replace(URL_SECRET, `$1${REDACTED}`).replace(PAN_CANDIDATE, (match, offset: number, whole: string) => {
    const digits = match.replace(/\D/g, '');
    return luhnValid(digits) && !withinUuid(whole, offset, match.length) ? maskPan(digits) : match;
  });
}

// A card number as customers and support staff write one: Luhn-valid, 13–19 digits, a network prefix.
export function looksLikeCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && CARD_NETWORK_PREFIX.test(digits) && luhnValid(digits);
}

// Free text we store and send on (descriptions, metadata, names, reasons): card numbers in it are masked
// to their first six and last four digits; the rest of the text is kept as written.
export function maskCardNumbers(value: string): string {
  if (value.length < 13) return value;
  return value.replace(PAN_CANDIDATE, (match, offset: number, whole: string) => {
    const digits = match.replace(/\D/g, '');
    return looksLikeCardNumber(digits) && !withinUuid(whole, offset, match.length) ? maskPan(digits) : match;
  });
}

export function containsCardNumber(value: string): boolean {
  return maskCardNumbers(value) !== value;
}

// A card number written as one: 13-19 digits in a row (also glued to letters), or in the groups
// printed on cards (4-4-4-4[-1..3], amex 4-6-5) with one separator. Stricter than PAN_CANDIDATE, so
// ids made of digit groups (a UUID's 8-4-4-4-12) are not taken for one; used where we refuse input.
const WRITTEN_PAN =
  /(?<!\d)\d{13,19}(?!\d)|(?<![\dA-Za-z])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{5})(?![\dA-Za-z])/g;

export function containsWrittenCardNumber(value: string): boolean {
  for (const match of value.matchAll(WRITTEN_PAN)) if (looksLikeCardNumber(match[0].replace(/\D/g, ''))) return true;
  return false;
}

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(normaliseKey(key));
}

// Returns a deep copy with sensitive keys replaced and PAN-like strings masked.
export function redact<T>(value: T, depth = 0): T {
  if (depth > 12) return REDACTED as unknown as T;
  if (typeof value === 'string') return redactString(value) as unknown as T;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1)) as unknown as T;
  if (value && typeof value === 'object') {
    if (value instanceof Date || Buffer.isBuffer(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = isSensitiveKey(k) && v !== null && v !== undefined && v !== '' ? REDACTED : redact(v, depth + 1);
    }
    return out as T;
  }
  return value;
}
