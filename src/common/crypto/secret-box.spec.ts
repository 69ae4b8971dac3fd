import { randomBytes } from 'node:crypto';
import { isSealed, SecretBox } from './secret-box';

describe('SecretBox', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('seals with AES-256-GCM: a fresh IV each time, nothing of the plain text visible', () => {
    const box = new SecretBox(k1);
    const a = box.seal('whsec_0123456789abcdef');
    const b = box.seal('whsec_0123456789abcdef');
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec_');
    expect(isSealed(a)).toBe(true);
    expect(box.open(a)).toBe('whsec_0123456789abcdef');
  });

  it('refuses a tampered value and a value sealed under a key it does not have', () => {
    const box = new SecretBox(k1);
    const sealed = box.seal('whsec_x');
    // Flip one bit of the ciphertext itself: editing base64 text can leave the decoded bytes unchanged.
    const head = sealed.slice(0, sealed.lastIndexOf('.') + 1);
    const data = Buffer.from(sealed.slice(head.length), 'base64url');
    data[0] ^= 0x01;
    const tampered = head + data.toString('base64url');
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox(k2).open(sealed)).toThrow(/unknown key .*ENCRYPTION_KEYS_OLD/);
  });

  it('rotation: the new key seals, old keys still open, and values under them are not current', () => {
    const before = new SecretBox(k1).seal('whsec_old');
    const after = SecretBox.fromSettings({
      ENCRYPTION_KEY: k2.toString('hex'),
      ENCRYPTION_KEYS_OLD: k1.toString('base64'),
    });
    expect(after.open(before)).toBe('whsec_old');
    expect(after.isCurrent(before)).toBe(false);
    expect(after.isCurrent(after.seal('whsec_new'))).toBe(true);
  });

  it('opens a value stored before encryption as itself; warns when running on the development key', () => {
    const warnings: string[] = [];
    const box = SecretBox.fromSettings({}, (m) => warnings.push(m));
    expect(box.open('whsec_legacy')).toBe('whsec_legacy');
    expect(warnings).toEqual([expect.stringMatching(/ENCRYPTION_KEY is not set/)]);
  });
});
