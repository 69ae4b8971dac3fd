// The bank is inconsistent (API.md §3, §7, §9): invoiceID / invoiceId / InvoiceID, numbers as
// strings, PascalCase card lists. These helpers read what is there without trusting its shape.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const normalise = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

// Case- and separator-insensitive field lookup: field(o, 'invoiceId') finds invoiceID, InvoiceID, invoice_id.
export function field(obj: unknown, ...names: string[]): unknown {
  if (!isObject(obj)) return undefined;
  for (const name of names) {
    if (name in obj) return obj[name];
  }
  const wanted = new Set(names.map(normalise));
  for (const [key, value] of Object.entries(obj)) {
    if (wanted.has(normalise(key))) return value;
  }
  return undefined;
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function nonEmpty(value: unknown): string | undefined {
  const s = str(value)?.trim();
  return s ? s : undefined;
}

export function int(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value.trim());
  return undefined;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', 'yes', '1'].includes(v)) return true;
    if (['false', 'no', '0'].includes(v)) return false;
  }
  return undefined;
}

// A decimal amount as the bank sent it (number or numeric string), or undefined.
export function decimal(value: unknown): number | string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return value.trim();
  return undefined;
}
