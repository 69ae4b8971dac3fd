import { CursorFormatError, decodeCursor, encodeCursor } from './cursor.util';

describe('page cursor', () => {
  const cursor = { createdAt: '2025-11-23T07:52:01.123456Z', id: '0b6f1c1e-2f4a-4d1b-9a57-0c5d7c7b1e11' };

  it('round-trips, keeping microseconds', () => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it('lower-cases the id', () => {
    expect(decodeCursor(encodeCursor({ ...cursor, id: cursor.id.toUpperCase() })).id).toBe(cursor.id);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['wrong version', Buffer.from(JSON.stringify([2, cursor.createdAt, cursor.id])).toString('base64url')],
    ['bad timestamp', Buffer.from(JSON.stringify([1, '2025-13-99', cursor.id])).toString('base64url')],
    ['local time', Buffer.from(JSON.stringify([1, '2025-11-23T07:52:01', cursor.id])).toString('base64url')],
    ['bad id', Buffer.from(JSON.stringify([1, cursor.createdAt, "x' OR 1=1"])).toString('base64url')],
    ['object', Buffer.from(JSON.stringify({ createdAt: cursor.createdAt, id: cursor.id })).toString('base64url')],
    ['too long', 'a'.repeat(201)],
  ])('refuses %s', (_, text) => {
    expect(() => decodeCursor(text)).toThrow(CursorFormatError);
  });
});
