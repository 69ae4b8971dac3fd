import fc from 'fast-check';
import type { FieldSpec } from './routes';

// Values are kept as raw JSON text where JavaScript cannot hold them (1e400, -0, 30-digit integers)
// and so that a "__proto__" key is sent as a plain key, the way an attacker's JSON arrives.
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json } | RawJson;
export class RawJson {
  constructor(readonly text: string) {}
}
export class JsonObject {
  constructor(readonly entries: Array<[string, Json | JsonObject]>) {}
}
type Value = Json | JsonObject;

export function toJson(v: Value): string {
  if (v instanceof RawJson) return v.text;
  if (v instanceof JsonObject) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map((x) => toJson(x)).join(',')}]`;
  if (v !== null && typeof v === 'object') return toJson(new JsonObject(Object.entries(v)));
  return JSON.stringify(v) ?? 'null';
}

const SPECIAL_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '$where',
  '',
  ' ',
  'amount ',
  'AMOUNT',
];
const SPECIAL_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  'null',
  'true',
  'NaN',
  'Infinity',
  '1e309',
  '0x10',
  '١٢٣',
  "' OR 1=1 --",
  '%00',
  '\u0000',
  '\ud800',
  '<script>',
  '${7*7}',
  '../../etc/passwd',
];
const RAW_NUMBERS = [
  '1e400',
  '-1e400',
  '-0',
  '123456789012345678901234567890',
  '0.1e-400',
  '9007199254740993',
  '1.0',
  '1e2',
];

const key = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...SPECIAL_KEYS));

// Anything a hostile or broken client may send in place of a field.
export const hostile: fc.Arbitrary<Value> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 2, arbitrary: fc.constantFrom<Json>(...SPECIAL_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_NUMBERS).map((t) => new RawJson(t)) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e308),
    ),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 3000, maxLength: 20000 }) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>, { maxLength: 50 }) },
  // deep nesting
  {
    weight: 1,
    arbitrary: fc.integer({ min: 20, max: 400 }).map((d) => new RawJson(`${'['.repeat(d)}1${']'.repeat(d)}`)),
  },
  {
    weight: 1,
    arbitrary: fc
      .dictionary(key, fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>, { maxKeys: 4 })
      .map((o) => new JsonObject(Object.entries(o))),
  },
);

// Values that pass the whole payment flow (the sandbox's approving test card), so a nearly valid body
// reaches the bank call with only one field hostile.
const KNOWN_GOOD: Record<string, Value> = {
  number: '4111111111111111',
  expMonth: 12,
  expYear: 2030,
  cvc: '123',
  holder: 'FUZZ USER',
  amount: 10050,
  currency: 'KZT',
  accountId: 'fuzz-account',
  description: 'fuzz order',
  reason: 'fuzz refund',
};

// A value that could pass the field's own checks, so the fuzzer gets past validation into the service.
function plausible(f: FieldSpec): fc.Arbitrary<Value> {
  const c = new Set(f.checks);
  if (f.name in KNOWN_GOOD && !f.nested)
    return fc.oneof(
      { weight: 2, arbitrary: fc.constant(KNOWN_GOOD[f.name]) },
      { weight: 1, arbitrary: plausibleByChecks(f, c) },
    );
  return plausibleByChecks(f, c);
}

function plausibleByChecks(f: FieldSpec, c: Set<string>): fc.Arbitrary<Value> {
  let base: fc.Arbitrary<Value>;
  if (f.nested) base = objectFor(f.nested);
  else if (f.allowed?.length) base = fc.constantFrom(...(f.allowed as Json[]));
  else if (f.pattern) base = fc.stringMatching(f.pattern, { size: 'small' });
  else if (c.has('isUUID')) base = fc.uuid();
  else if (c.has('isInt') || c.has('isMinorAmount') || c.has('min') || c.has('max'))
    base = fc.oneof(fc.integer({ min: -10, max: 10_000_000 }), fc.constantFrom(0, 1, 1000, 10050));
  else if (c.has('isBoolean')) base = fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', '1'));
  else if (c.has('isEmail')) base = fc.emailAddress();
  else if (c.has('isUrl')) base = fc.webUrl();
  else if (c.has('isBase64')) base = fc.base64String({ minLength: 16, maxLength: 64 });
  else if (c.has('isCurrencyCode')) base = fc.constantFrom('KZT', 'USD', 'EUR', 'RUB', 'XXX', 'kzt');
  else if (c.has('isInstant') || c.has('isDateString') || c.has('isISO8601'))
    base = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  else base = fc.string({ maxLength: 40 });
  return f.each ? fc.oneof(base, fc.array(base, { maxLength: 5 }) as fc.Arbitrary<Value>) : base;
}

function field(f: FieldSpec): fc.Arbitrary<Value> {
  return fc.oneof({ weight: 3, arbitrary: plausible(f) }, { weight: 2, arbitrary: hostile });
}

// Some of the known fields (any subset), in any order, plus now and then fields nobody declared.
export function objectFor(fields: FieldSpec[]): fc.Arbitrary<JsonObject> {
  const known = fc
    .subarray(fields)
    .chain((subset) => fc.tuple(...subset.map((f) => field(f).map((v): [string, Value] => [f.name, v]))));
  const extra = fc.oneof(
    { weight: 4, arbitrary: fc.constant([] as Array<[string, Value]>) },
    { weight: 1, arbitrary: fc.array(fc.tuple(key, hostile), { maxLength: 3 }) },
  );
  return fc
    .tuple(known, extra)
    .map(([k, e]) => new JsonObject([...(k as Array<[string, Value]>), ...e] as Array<[string, Json | JsonObject]>));
}

// A value meant to pass the field's checks exactly (the known-good value when there is one).
function valid(f: FieldSpec): fc.Arbitrary<Value> {
  if (f.nested) return nearlyValid(f.nested, false);
  if (f.name in KNOWN_GOOD) return fc.constant(KNOWN_GOOD[f.name]);
  const c = new Set(f.checks);
  if (f.allowed?.length) return fc.constantFrom(...(f.allowed as Json[]));
  if (c.has('isBoolean')) return fc.boolean();
  if (c.has('isInt') || c.has('isMinorAmount')) return fc.integer({ min: f.min ?? 1, max: f.max ?? 1_000_000 });
  if (c.has('isSmallJsonObject')) return fc.constant({ orderId: 'fuzz-1' });
  if (f.length && !f.pattern && !c.has('isEmail') && !c.has('isUrl') && !c.has('isBase64')) {
    return fc
      .string({ minLength: Math.max(1, f.length[0]), maxLength: Math.min(f.length[1], 40), unit: 'grapheme-ascii' })
      .filter((x) => x.trim().length > 0);
  }
  return plausibleByChecks(f, c);
}

// Every field valid (optional ones half the time), then at most one of them swapped for something
// hostile: gets past validation far more often than independent choices per field, into the service.
export function nearlyValid(fields: FieldSpec[], mutate = true): fc.Arbitrary<JsonObject> {
  const all = fc.tuple(
    ...fields.map((f) => {
      const value = valid(f).map((v): [string, Value] | null => [f.name, v]);
      return f.optional ? fc.option(value, { nil: null }) : value;
    }),
  );
  return fc
    .tuple(all, fc.nat({ max: mutate ? fields.length * 2 : 0 }), hostile)
    .map(
      ([entries, i, bad]) =>
        new JsonObject(
          entries.flatMap((e, j) => (e === null ? [] : [[e[0], mutate && j === i ? bad : e[1]]])) as Array<
            [string, Json | JsonObject]
          >,
        ),
    );
}

// A whole request body: mostly an object of the DTO's fields, sometimes not an object at all.
export function bodyFor(fields: FieldSpec[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: objectFor(fields).map(toJson) },
    { weight: 3, arbitrary: nearlyValid(fields).map(toJson) },
    { weight: 1, arbitrary: hostile.map(toJson) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '{"amount":',
        'null',
        '[]',
        '"x"',
        '{"a":1}}',
        '\u0000',
        '{"card":{"number":',
      ),
    },
  );
}

// encodeURIComponent, except that a lone surrogate becomes the percent-encoding of its (invalid) UTF-8
// bytes instead of an exception: exactly the kind of input the service must survive.
export function encodeLoosely(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
  }
}

// A query string: known names with one value, repeated values or bracketed sub-keys, plus strangers.
export function queryFor(fields: FieldSpec[]): fc.Arbitrary<string> {
  const value = (f?: FieldSpec) =>
    fc.oneof(
      f ? plausible(f).map((v) => (typeof v === 'string' ? v : toJson(v))) : fc.string({ maxLength: 20 }),
      fc.string({ maxLength: 30 }),
      fc.constantFrom(...SPECIAL_STRINGS, ...RAW_NUMBERS),
      fc.string({ minLength: 1000, maxLength: 5000 }),
    );
  const pair = (name: fc.Arbitrary<string>, f?: FieldSpec) =>
    fc
      .tuple(
        name,
        fc.array(value(f), { minLength: 1, maxLength: 3 }),
        fc.option(fc.string({ maxLength: 5 }), { nil: undefined }),
      )
      .map(([n, vs, sub]) =>
        vs.map((v) => `${encodeLoosely(sub === undefined ? n : `${n}[${sub}]`)}=${encodeLoosely(v)}`).join('&'),
      );
  const known = fields.length
    ? fc.array(
        fc.constantFrom(...fields).chain((f) => pair(fc.constant(f.name), f)),
        { maxLength: 4 },
      )
    : fc.constant([] as string[]);
  const extra = fc.array(pair(key), { maxLength: 2 });
  return fc.tuple(known, extra).map(([a, b]) => [...a, ...b].join('&'));
}

// Header values fetch() can send (visible Latin-1), including ones our checks must refuse.
export const headerValue = fc.oneof(
  fc.uuid(),
  fc.stringMatching(/^[\x21-\x7e]{1,300}$/),
  fc.constantFrom(' ', 'a b', '\u00e9\u00e8', 'x'.repeat(300)),
);

// Strings PostgreSQL or the validators choke on: a NUL character (text and jsonb refuse it), an
// unpaired surrogate (jsonb refuses the escape; validator's isEmail throws URIError on it).
export const EDGE_STRINGS: Array<{ name: string; json: RawJson; query: string }> = [
  { name: 'NUL', json: new RawJson('"a\\u0000b"'), query: 'a%00b' },
  { name: 'lone surrogate', json: new RawJson('"a\\ud800b"'), query: 'a%ED%A0%80b' },
];

// The same object with one (possibly nested) field replaced.
export function withField(base: JsonObject, path: string[], value: Json | JsonObject): JsonObject {
  const [head, ...rest] = path;
  const found = base.entries.some(([k]) => k === head);
  const entries = base.entries.map(([k, v]): [string, Json | JsonObject] => {
    if (k !== head) return [k, v];
    return [k, rest.length && v instanceof JsonObject ? withField(v, rest, value) : value];
  });
  if (!found) entries.push([head, rest.length ? withField(new JsonObject([]), rest, value) : value]);
  return new JsonObject(entries);
}
