import { createPrivateKey, createPublicKey, constants, privateDecrypt, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

// The committed keys/sandbox-private.pem is a THROWAWAY emulator key (RSA-4096, PKCS#8), never a bank key.
// __dirname is src/sandbox under Jest and dist/src/sandbox after the build (nest-cli copies sandbox/keys/*.pem).
export const DEFAULT_PRIVATE_KEY_PATH = join(__dirname, 'keys', 'sandbox-private.pem');

export interface SandboxKeys {
  privateKey: KeyObject;
  privateKeyPem: string;
  publicKeyPem: string; // SPKI, "-----BEGIN PUBLIC KEY-----", as /public.rsa serves it
}

export function loadKeys(privateKeyPem?: string): SandboxKeys {
  const pem = privateKeyPem ?? readFileSync(DEFAULT_PRIVATE_KEY_PATH, 'utf8');
  const privateKey = createPrivateKey(pem);
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, privateKeyPem: pem, publicKeyPem };
}

// RSA PKCS#1 v1.5 decryption of the base64 cryptogram. Node 20 refuses RSA_PKCS1_PADDING for private
// decryption (CVE-2023-46809, Marvin), so we do the raw RSA operation and strip the v1.5 padding ourselves;
// node-forge is the fallback if a future Node also refuses raw decryption. Timing leaks do not matter here:
// this key protects nothing. Returns undefined on any failure.
export function decryptCryptogram(keys: SandboxKeys, base64: string): string | undefined {
  const cipher = Buffer.from(base64.replace(/\s/g, ''), 'base64');
  const modulusBytes = keySizeBytes(keys);
  if (cipher.length !== modulusBytes) return undefined;
  let block: Buffer;
  try {
    block = privateDecrypt({ key: keys.privateKey, padding: constants.RSA_NO_PADDING }, cipher);
  } catch {
    return forgeDecrypt(keys, cipher);
  }
  return unpadPkcs1v15(block);
}

function keySizeBytes(keys: SandboxKeys): number {
  const bits = keys.privateKey.asymmetricKeyDetails?.modulusLength ?? 4096;
  return Math.ceil(bits / 8);
}

// EM = 0x00 || 0x02 || PS (>= 8 non-zero bytes) || 0x00 || M
function unpadPkcs1v15(block: Buffer): string | undefined {
  if (block.length < 11 || block[0] !== 0x00 || block[1] !== 0x02) return undefined;
  const sep = block.indexOf(0x00, 2);
  if (sep < 10) return undefined;
  return block.subarray(sep + 1).toString('utf8');
}

function forgeDecrypt(keys: SandboxKeys, cipher: Buffer): string | undefined {
  try {
    const key = forge.pki.privateKeyFromPem(keys.privateKeyPem);
    const plain = key.decrypt(cipher.toString('binary'), 'RSAES-PKCS1-V1_5');
    return forge.util.decodeUtf8(plain);
  } catch {
    return undefined;
  }
}
