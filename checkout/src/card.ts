// Card checks done in the browser before anything is sent: the service checks again.

export type Brand = 'visa' | 'mastercard' | 'amex' | 'unionpay' | 'jcb' | 'mir' | 'unknown';

export function digits(value: string): string {
  return value.replace(/\D/g, '');
}

export function luhnValid(number: string): boolean {
  const d = digits(number);
  if (d.length < 12 || d.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

export function brandOf(number: string): Brand {
  const d = digits(number);
  if (/^4/.test(d)) return 'visa';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(d)) return 'mastercard';
  if (/^3[47]/.test(d)) return 'amex';
  if (/^220[0-4]/.test(d)) return 'mir';
  if (/^62/.test(d)) return 'unionpay';
  if (/^35(2[89]|[3-8])/.test(d)) return 'jcb';
  return 'unknown';
}

// "4405 6397 0401 5096"; amex 4-6-5
export function formatNumber(value: string): string {
  const d = digits(value).slice(0, 19);
  if (brandOf(d) === 'amex') return [d.slice(0, 4), d.slice(4, 10), d.slice(10, 15)].filter(Boolean).join(' ');
  return d.replace(/(.{4})/g, '$1 ').trim();
}

export function cvcLength(brand: Brand): number {
  return brand === 'amex' ? 4 : 3;
}

export interface Expiry {
  month: number;
  year: number;
}

// "MM/YY", "MM / YY", "MMYY", "MM/YYYY"
export function parseExpiry(value: string): Expiry | null {
  const m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(value);
  if (!m) return null;
  const month = Number(m[1]);
  const year = m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  if (month < 1 || month > 12) return null;
  return { month, year };
}

export function formatExpiry(value: string): string {
  const d = digits(value).slice(0, 4);
  return d.length > 2 ? `${d.slice(0, 2)}/${d.slice(2)}` : d;
}

// A card is good through the last day of its expiry month.
export function expired(expiry: Expiry, now: Date = new Date()): boolean {
  return expiry.year < now.getFullYear() || (expiry.year === now.getFullYear() && expiry.month < now.getMonth() + 1);
}

export type FieldName = 'number' | 'expiry' | 'cvc' | 'holder';
export type FieldError =
  'required' | 'invalid_number' | 'invalid_expiry' | 'expired' | 'invalid_cvc' | 'invalid_holder';

export interface CardInput {
  number: string;
  expiry: string;
  cvc: string;
  holder: string;
}

export interface CardData {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  holder: string;
}

// Every problem, by field, or the card as the API takes it. `allowExpired`: the bank's test cards
// (sandbox) carry past expiry dates.
export function validateCard(
  input: CardInput,
  options: { allowExpired?: boolean; now?: Date } = {},
): { ok: true; card: CardData } | { ok: false; errors: Partial<Record<FieldName, FieldError>> } {
  const errors: Partial<Record<FieldName, FieldError>> = {};
  const number = digits(input.number);
  if (!number) errors.number = 'required';
  else if (!luhnValid(number)) errors.number = 'invalid_number';
  const expiry = parseExpiry(input.expiry);
  if (!input.expiry.trim()) errors.expiry = 'required';
  else if (!expiry) errors.expiry = 'invalid_expiry';
  else if (!options.allowExpired && expired(expiry, options.now)) errors.expiry = 'expired';
  const cvc = digits(input.cvc);
  if (!cvc) errors.cvc = 'required';
  else if (!/^\d{3,4}$/.test(cvc) || (number && cvc.length !== cvcLength(brandOf(number)))) errors.cvc = 'invalid_cvc';
  const holder = input.holder.trim().replace(/\s+/g, ' ');
  if (!holder) errors.holder = 'required';
  else if (!/^\p{L}[\p{L} .'-]{1,99}$/u.test(holder)) errors.holder = 'invalid_holder';
  if (Object.keys(errors).length || !expiry) return { ok: false, errors };
  return { ok: true, card: { number, expMonth: expiry.month, expYear: expiry.year, cvc, holder } };
}
