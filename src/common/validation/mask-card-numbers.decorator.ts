import { Transform } from 'class-transformer';
import { maskCardNumbers } from '../logging/redact.util';

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskCardNumbers(value);
  if (depth > 16) return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskDeep(v, depth + 1)]),
    );
  }
  return value;
}

// Free-text request fields (descriptions, names, reasons, metadata values): a card number written into
// one is masked to its first six and last four digits before anything stores, logs or forwards it.
export function MaskCardNumbers(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => maskDeep(value));
}
