import { findUnsafeText, sanitizeText } from './text-safety.util';

describe('text safety', () => {
  it('finds NUL characters and lone surrogates and names where they are', () => {
    expect(findUnsafeText({ a: 'ok', b: { c: 'x\u0000y' } })).toBe('b.c');
    expect(findUnsafeText({ list: ['fine', 'bad\ud800'] })).toBe('list.1');
    expect(findUnsafeText({ ['k\udc00']: 1 })).toBe('k\udc00');
    expect(findUnsafeText({ emoji: '😀 Алматы', n: 1, z: null })).toBeUndefined();
  });

  it('cleans what must be kept', () => {
    expect(sanitizeText({ a: 'x\u0000y', b: ['\ud800'], c: 5, ['k\u0000']: 'v' })).toEqual({
      a: 'x\uFFFDy',
      b: ['\uFFFD'],
      c: 5,
      ['k\uFFFD']: 'v',
    });
    expect(JSON.stringify(sanitizeText('😀'))).toBe('"😀"');
  });
});
