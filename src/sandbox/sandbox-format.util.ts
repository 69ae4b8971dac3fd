import { randomBytes, randomInt, randomUUID } from 'node:crypto';

// Small generators and formatters that mimic the shapes seen in the bank's samples.

export const newId = (): string => randomUUID();

export function digits(n: number): string {
  let out = String(randomInt(1, 10));
  while (out.length < n) out += String(randomInt(0, 10));
  return out;
}

export const newReference = (): string => digits(12); // RRN, "114537489258"
export const newIntReference = (): string => randomBytes(8).toString('hex').toUpperCase(); // "67140D7DE97139A7"
export const newApprovalCode = (): string => digits(6);

// "DCEB8O_ZM5U7SO_T_U5EJQ"-like opaque access token
export function newAccessToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
  const bytes = randomBytes(22);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

// "2024-07-29T10:50:56.765674+05:00": Almaty local time with microseconds, as ePay prints dates.
export function epayDate(at: number = Date.now()): string {
  const offsetMin = 5 * 60;
  const local = new Date(at + offsetMin * 60_000).toISOString(); // 2024-07-29T10:50:56.765Z
  return `${local.slice(0, 23)}000+05:00`;
}

export function luhnValid(pan: string): boolean {
  if (!/^\d{12,19}$/.test(pan)) return false;
  let sum = 0;
  let double = false;
  for (let i = pan.length - 1; i >= 0; i--) {
    let d = pan.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// Payment/status style "440563...5096"
export const maskPan = (pan: string): string => `${pan.slice(0, 6)}...${pan.slice(-4)}`;
// Saved-cards list style "4405...2283"
export const shortMaskPan = (pan: string): string => `${pan.slice(0, 4)}...${pan.slice(-4)}`;

export function cardTypeOf(pan: string): string {
  if (/^3[47]/.test(pan)) return 'AMEX';
  if (/^4/.test(pan)) return 'VISA';
  if (/^(5[1-5]|2[2-7])/.test(pan)) return 'MASTERCARD';
  return 'UNKNOWN';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
