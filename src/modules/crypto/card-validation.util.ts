import { luhnValid } from '../../common/logging/redact.util';
import type { ErrorDetail } from '../../common/errors/app.exception';

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

// The bank's published test cards (S2, S3) expired years ago but are still what its test terminal takes.
export const EPAY_DOCUMENTED_TEST_CARDS = new Set([
  '4405639704015096',
  '5522042705066736',
  '377514500004820',
  '4003032704547597',
  '5578342710750560',
]);

export function normalisePan(pan: string): string {
  return pan.replace(/[\s-]/g, '');
}

export function fourDigitYear(year: number): number {
  return year < 100 ? 2000 + year : year;
}

// Field errors for a card, checked before any cryptogram is built. Messages never contain the values.
export function validateCard(card: CardInput, opts: { now?: Date; allowDocumentedTestCards: boolean }): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const pan = normalisePan(card.number);
  if (!/^\d{12,19}$/.test(pan)) errors.push({ field: 'card.number', message: 'card number must be 12 to 19 digits' });
  else if (!luhnValid(pan)) errors.push({ field: 'card.number', message: 'card number fails the Luhn check' });
  const amex = pan.startsWith('34') || pan.startsWith('37');
  if (!/^\d{3,4}$/.test(card.cvc)) errors.push({ field: 'card.cvc', message: 'cvc must be 3 or 4 digits' });
  else if (amex ? card.cvc.length !== 4 : card.cvc.length !== 3) {
    errors.push({ field: 'card.cvc', message: amex ? 'cvc of this card has 4 digits' : 'cvc must be 3 digits' });
  }
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) {
    errors.push({ field: 'card.expMonth', message: 'expMonth must be 1 to 12' });
  }
  const year = fourDigitYear(card.expYear);
  if (!Number.isInteger(card.expYear) || year < 2000 || year > 2099) {
    errors.push({ field: 'card.expYear', message: 'expYear must be a year such as 2028 or 28' });
  }
  if (!errors.some((e) => e.field === 'card.expMonth' || e.field === 'card.expYear')) {
    const now = opts.now ?? new Date();
    // a card is valid through the last day of its expiry month
    const expired =
      year < now.getUTCFullYear() || (year === now.getUTCFullYear() && card.expMonth < now.getUTCMonth() + 1);
    if (expired && !(opts.allowDocumentedTestCards && EPAY_DOCUMENTED_TEST_CARDS.has(pan))) {
      errors.push({ field: 'card.expYear', message: 'card has expired' });
    }
  }
  return errors;
}

// MMYY as the cryptogram wants it (S2: "expDate":"1022")
export function expDateMMYY(card: Pick<CardInput, 'expMonth' | 'expYear'>): string {
  return `${String(card.expMonth).padStart(2, '0')}${String(fourDigitYear(card.expYear) % 100).padStart(2, '0')}`;
}
