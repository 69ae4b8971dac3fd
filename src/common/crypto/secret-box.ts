import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { parseEncryptionKey } from '../../config/env.validation';

// Secrets we must be able to use again (webhook signing keys) are stored sealed with AES-256-GCM under a
// master key from configuration: "enc:v1:<key id>:<iv>.<tag>.<ciphertext>" (base64url). The key id (first
// 8 hex digits of the key's SHA-256) names the key that sealed a value, so after a rotation values sealed
// under an ENCRYPTION_KEYS_OLD key still open, and are re-sealed under the new one.
const PREFIX = 'enc:v1:';
const DEVELOPMENT_KEY = createHash('sha256').update('epay-gateway development master key (not secret)').digest();

const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

export interface SecretBoxSettings {
  ENCRYPTION_KEY?: string;
  ENCRYPTION_KEYS_OLD?: string;
}

export class SecretBox {
  private readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(current: Buffer, old: readonly Buffer[] = []) {
    this.currentId = keyId(current);
    for (const key of [current, ...old]) this.keys.set(keyId(key), key);
  }

  // production requires ENCRYPTION_KEY (validateEnv); elsewhere a fixed development key, with a warning
  static fromSettings(settings: SecretBoxSettings, warn: (message: string) => void = () => undefined): SecretBox {
    const parse = (value: string) => {
      const key = parseEncryptionKey(value.trim());
      if (!key) throw new Error('encryption key must be 32 bytes as 64 hex characters or base64');
      return key;
    };
    const old = (settings.ENCRYPTION_KEYS_OLD ?? '')
      .split(',')
      .filter((v) => v.trim())
      .map(parse);
    if (!settings.ENCRYPTION_KEY) {
      warn('ENCRYPTION_KEY is not set: secrets at rest are sealed with the built-in development key');
      return new SecretBox(DEVELOPMENT_KEY, old);
    }
    return new SecretBox(parse(settings.ENCRYPTION_KEY), old);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'));
    return `${PREFIX}${this.currentId}:${parts.join('.')}`;
  }

  // A value written before encryption (a migration or an old replica in a rolling deploy) opens as itself.
  open(stored: string): string {
    if (!isSealed(stored)) return stored;
    const [id, payload] = stored.slice(PREFIX.length).split(':');
    const key = this.keys.get(id);
    if (!key) throw new Error(`secret sealed under unknown key ${id}: add that key to ENCRYPTION_KEYS_OLD`);
    const [iv, tag, data] = payload.split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  }

  // sealed under the current key (nothing to re-seal)
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${PREFIX}${this.currentId}:`);
  }
}

// A key for another purpose (e.g. client secrets' HMAC) derived from the current master key, so
// production needs one master secret; changes when ENCRYPTION_KEY is rotated.
export function deriveFromMasterKey(settings: SecretBoxSettings, purpose: string): Buffer {
  const master = settings.ENCRYPTION_KEY ? parseEncryptionKey(settings.ENCRYPTION_KEY.trim()) : DEVELOPMENT_KEY;
  if (!master) throw new Error('ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64');
  return createHmac('sha256', master).update(`derived:${purpose}`).digest();
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}
