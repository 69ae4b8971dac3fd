// ePay sends amounts as decimal JSON numbers (100, 12.22) or, in form bodies, as strings.
// Inside the sandbox they are integer minor units so partial charges and refunds never drift.

const DECIMAL = /^\d{1,13}(\.\d{1,2})?$/;

// Returns minor units, or undefined when the value is not a non-negative amount with at most 2 decimals.
export function toMinor(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    const minor = Math.round(value * 100);
    return Math.abs(value * 100 - minor) < 1e-6 ? minor : undefined;
  }
  if (typeof value === 'string') {
    const s = value.trim();
    if (!DECIMAL.test(s)) return undefined;
    const [whole, frac = ''] = s.split('.');
    return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  }
  return undefined;
}

// 10050 -> 100.5 (a JSON number, as the bank prints it)
export function toDecimal(minor: number): number {
  return Math.round(minor) / 100;
}
