import { redact } from '../../../common/logging/redact.util';

// Columns that must never reach an API answer, whatever table they come from (callback tokens,
// secret digests, tokens): judged by name, so a column added later is covered too.
const SECRET_COLUMN = /token|secret|password|cryptogram|hash/i;

// A row of another module's table (read with row_to_json, without its entity) as an API object:
// camelCase keys, secret-looking columns dropped, the rest through redact() (card numbers in text).
export function publicRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (SECRET_COLUMN.test(key)) continue;
    out[key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return redact(out) as Record<string, unknown>;
}
