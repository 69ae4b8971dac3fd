// PostgreSQL cannot store a NUL character (text or jsonb), and a lone UTF-16 surrogate is not text at
// all (it breaks JSON encoders and some validators). Requests carrying either are refused with the
// field named; bodies we must keep whatever they hold (ePay callbacks) are cleaned instead.
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_GLOBAL = new RegExp(UNSAFE.source, 'g');

export function hasUnsafeText(value: string): boolean {
  return UNSAFE.test(value);
}

// The path of the first string (or object key) with unsafe characters, e.g. "card.holder", or undefined.
// Every depth is checked: request bodies are at most MAX_JSON_DEPTH deep (refused at the parser).
export function findUnsafeText(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return hasUnsafeText(value) ? path || '(value)' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findUnsafeText(value[i], path ? `${path}.${i}` : String(i));
      if (hit) return hit;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const at = path ? `${path}.${key}` : key;
      if (hasUnsafeText(key)) return at;
      const hit = findUnsafeText(v, at);
      if (hit) return hit;
    }
  }
  return undefined;
}

// A deep copy with unsafe characters replaced by U+FFFD, for storing what we cannot refuse.
// Every depth: a NUL left deep inside would fail the INSERT.
export function sanitizeText<T>(value: T): T {
  if (typeof value === 'string') return (hasUnsafeText(value) ? value.replace(UNSAFE_GLOBAL, '\uFFFD') : value) as T;
  if (Array.isArray(value)) return value.map((v) => sanitizeText(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[sanitizeText(k)] = sanitizeText(v);
    return out as T;
  }
  return value;
}
