// Money is an integer number of minor units everywhere inside the service. ePay speaks decimal
// amounts; conversion happens only at the gateway edge, by string arithmetic, never by float maths.

// ISO 4217 minor-unit exponents for the currencies a Kazakh merchant terminal may use.
export const CURRENCY_EXPONENT: Readonly<Record<string, number>> = {
  KZT: 2,
  USD: 2,
  EUR: 2,
  RUB: 2,
  GBP: 2,
  CNY: 2,
  KGS: 2,
  UZS: 2,
  TRY: 2,
  AED: 2,
};

export const SUPPORTED_CURRENCIES = Object.keys(CURRENCY_EXPONENT);

export class MoneyFormatError extends Error {}

function exponent(currency: string): number {
  const e = CURRENCY_EXPONENT[currency.toUpperCase()];
  if (e === undefined) throw new MoneyFormatError(`unsupported currency ${currency}`);
  return e;
}

// 12345 KZT tiyn -> "123.45"
export function minorToDecimalString(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new MoneyFormatError('amount must be a safe integer of minor units');
  const e = exponent(currency);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(e + 1, '0');
  const whole = digits.slice(0, digits.length - e);
  const frac = e ? digits.slice(digits.length - e) : '';
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

// The JSON number ePay expects. Number("123.45") is the double closest to 123.45, and JSON.stringify
// prints the shortest text that round-trips to it, so the bank receives exactly "123.45".
export function minorToGatewayAmount(minor: number, currency: string): number {
  return Number(minorToDecimalString(minor, currency));
}

// "123.45" | 123.45 | "100" -> 12345. Rejects more fraction digits than the currency has.
export function decimalToMinor(value: number | string, currency: string): number {
  const e = exponent(currency);
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyFormatError('amount is not finite');
    // shortest round-trip text of the double, as the bank wrote it in JSON
    text = String(value);
    if (/e/i.test(text))
      text = value
        .toFixed(e + 2)
        .replace(/0+$/, '')
        .replace(/\.$/, '');
  } else {
    text = value.trim();
  }
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new MoneyFormatError(`not a decimal amount: ${JSON.stringify(text)}`);
  const [, sign, whole, frac = ''] = match;
  const fracTrimmed = frac.replace(/0+$/, '');
  if (fracTrimmed.length > e) throw new MoneyFormatError(`amount has more than ${e} decimal places`);
  const minor = Number(whole) * 10 ** e + Number(fracTrimmed.padEnd(e, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw new MoneyFormatError('amount too large');
  return sign ? -minor : minor;
}
