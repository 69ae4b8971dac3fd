// "440563...5096" / "4405-63XX-XXXX-5096" -> "5096"
export function last4FromMask(mask: string | undefined | null): string | null {
  if (!mask) return null;
  const digits = /(\d{4})\D*$/.exec(mask);
  return digits ? digits[1] : null;
}

// The brand from the card number's first digits (ISO/IEC 7812 ranges), the way ePay names them.
export function cardBrand(pan: string): string | null {
  const d = pan.replace(/\D/g, '');
  if (/^4/.test(d)) return 'VISA';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(d)) return 'MASTERCARD';
  if (/^3[47]/.test(d)) return 'AMEX';
  if (/^220[0-4]/.test(d)) return 'MIR';
  if (/^62/.test(d)) return 'UNIONPAY';
  return null;
}
