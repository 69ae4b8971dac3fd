// Opaque keyset cursor for lists ordered by (created_at DESC, id DESC). The timestamp keeps
// PostgreSQL's microseconds: a millisecond JS Date would skip or repeat rows created in the same ms.

export interface PageCursor {
  // ISO-8601 UTC with up to 6 fraction digits, as PostgreSQL wrote it
  createdAt: string;
  id: string;
}

export class CursorFormatError extends Error {}

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VERSION = 1;

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([VERSION, cursor.createdAt, cursor.id]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): PageCursor {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) throw new CursorFormatError('not a cursor from this API');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new CursorFormatError('not a cursor from this API');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== VERSION) {
    throw new CursorFormatError('not a cursor from this API');
  }
  const [, createdAt, id] = parsed as [number, unknown, unknown];
  if (typeof createdAt !== 'string' || !TS.test(createdAt) || Number.isNaN(Date.parse(createdAt))) {
    throw new CursorFormatError('cursor has a bad position');
  }
  if (typeof id !== 'string' || !UUID.test(id)) throw new CursorFormatError('cursor has a bad position');
  return { createdAt, id: id.toLowerCase() };
}

// SQL that renders a timestamptz column as the cursor's timestamp (UTC, microseconds).
export function cursorTimestampSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
