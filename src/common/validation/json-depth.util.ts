// Deepest nesting of arrays/objects in a JSON text, counted without parsing (strings skipped), so a
// hostile body is refused before JSON.parse and class-transformer recurse through it.
export const MAX_JSON_DEPTH = 32;

export function jsonDepthExceeds(text: string | Buffer, max = MAX_JSON_DEPTH): boolean {
  const s = typeof text === 'string' ? text : text.toString('utf8');
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

// The error a body parser's `verify` throws for a body nested too deep (mapped to 400 naming the body).
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  readonly type = 'entity.too.deep';

  constructor(readonly maxDepth = MAX_JSON_DEPTH) {
    super(`request body is nested deeper than ${maxDepth} levels`);
  }
}
