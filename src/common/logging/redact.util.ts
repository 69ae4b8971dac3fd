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

// 13–19 digit runs (optionally split by spaces or dashes) that pass Luhn are card numbers.
const PAN_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;

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

export function redactString(value: string): string {
  if (value.length < 13) return value;
  return value.replace(URL_SECRET, `$1${REDACTED}`).replace(PAN_CANDIDATE, (match) => {
    const digits = match.replace(/\D/g, '');
    return luhnValid(digits) ? maskPan(digits) : match;
  });
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
