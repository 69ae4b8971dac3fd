import { jsonDepthExceeds } from './json-depth.util';

describe('jsonDepthExceeds', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonDepthExceeds('{"a":[1,{"b":2}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[1,{"b":[2]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[[[\\"[[[["}', 1)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(1500) + ']'.repeat(1500))).toBe(true);
    expect(jsonDepthExceeds(Buffer.from('['.repeat(32) + ']'.repeat(32)))).toBe(false);
  });
});
