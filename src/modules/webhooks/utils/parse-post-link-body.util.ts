import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../../../common/validation/json-depth.util';
import { isObject, type JsonObject } from '../../../gateway/utils/epay-parse.util';

export type ParsedPostLinkBody = { ok: true; value: JsonObject } | { ok: false; problem: string; bytes: number };

// ePay documents a JSON POST (S1), but nothing says which Content-Type it sets, so the raw bytes are
// read as JSON first, then as a form, whatever the header claimed (an object already parsed by the app
// is taken as is).
export function parsePostLinkBody(body: unknown): ParsedPostLinkBody {
  if (isObject(body) && !Buffer.isBuffer(body)) return { ok: true, value: { ...body } };
  if (body === undefined || body === null) return { ok: false, problem: 'empty body', bytes: 0 };
  if (Array.isArray(body)) return { ok: false, problem: 'body is not an object', bytes: JSON.stringify(body).length };
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
  const bytes = Buffer.byteLength(text);
  const trimmed = text.trim().replace(/^\uFEFF/, '');
  if (!trimmed) return { ok: false, problem: 'empty body', bytes };
  // read as raw bytes (not through the app's JSON parser): the same depth limit, or it is unreadable
  if (jsonDepthExceeds(trimmed)) return { ok: false, problem: `nested deeper than ${MAX_JSON_DEPTH} levels`, bytes };
  if (trimmed.startsWith('{')) {
    try {
      const json: unknown = JSON.parse(trimmed);
      if (isObject(json)) return { ok: true, value: json };
    } catch {
      return { ok: false, problem: 'unreadable JSON', bytes };
    }
  }
  if (/^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(trimmed)) {
    return { ok: true, value: Object.fromEntries(new URLSearchParams(trimmed)) };
  }
  return { ok: false, problem: 'body is neither JSON nor a form', bytes };
}
