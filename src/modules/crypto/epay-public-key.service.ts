import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { createPublicKey, KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';
import { HomebankHttpService } from '../../gateway/homebank-http.service';

export interface EpayPublicKey {
  // normalised SPKI PEM ("BEGIN PUBLIC KEY"), what clients building their own cryptogram need
  pem: string;
  keyObject: KeyObject;
  // SHA-256 of the SubjectPublicKeyInfo, hex
  fingerprint: string;
  bits: number;
  fetchedAt: Date;
  pinned: boolean;
}

const REFRESH_INTERVAL_MS = 6 * 60 * 60 * 1000;
// a bank reply saying "cannot decrypt" triggers a refetch, at most this often
const MIN_REFETCH_GAP_MS = 60_000;

// Parses a public key with node-forge: SPKI ("BEGIN PUBLIC KEY") or PKCS#1 ("BEGIN RSA PUBLIC KEY"),
// the two labels seen for ePay's key (API.md §2).
export function parseRsaPublicKey(pemText: string, pinned = false): EpayPublicKey {
  let key: forge.pki.rsa.PublicKey;
  try {
    const msg = forge.pem.decode(pemText.trim())[0];
    if (!msg) throw new Error('no PEM block');
    // publicKeyFromAsn1 reads both SubjectPublicKeyInfo and a bare PKCS#1 RSAPublicKey
    key = forge.pki.publicKeyFromAsn1(forge.asn1.fromDer(msg.body)) as forge.pki.rsa.PublicKey;
  } catch (err) {
    throw new Error(`ePay public key is not a readable RSA PEM: ${(err as Error).message}`, { cause: err });
  }
  const bits = key.n.bitLength();
  if (bits < 2048) throw new Error(`ePay public key is too short (${bits} bits)`);
  const pem = forge.pki.publicKeyToPem(key).replace(/\r\n/g, '\n');
  const fingerprint = forge.pki.getPublicKeyFingerprint(key, {
    md: forge.md.sha256.create(),
    encoding: 'hex',
  }) as string;
  return { pem, keyObject: createPublicKey(pem), fingerprint, bits, fetchedAt: new Date(), pinned };
}

@Injectable()
export class EpayPublicKeyService implements OnApplicationBootstrap {
  private readonly logger = new Logger(EpayPublicKeyService.name);
  private current?: EpayPublicKey;
  private loading?: Promise<EpayPublicKey>;
  private lastFetchAt = 0;

  constructor(
    private readonly homebank: HomebankHttpService,
    config: AppConfigService,
  ) {
    const pinned = config.get('EPAY_PUBLIC_KEY_PEM');
    if (pinned) this.current = parseRsaPublicKey(pinned.replace(/\\n/g, '\n'), true);
  }

  // warm the cache so the first payment does not pay for the fetch; a failure here is not fatal
  async onApplicationBootstrap(): Promise<void> {
    if (this.current) return;
    await this.get().catch((err: Error) => this.logger.warn(`could not fetch the ePay public key yet: ${err.message}`));
  }

  async get(): Promise<EpayPublicKey> {
    if (this.current) return this.current;
    return this.fetch();
  }

  // Called when the bank says it cannot decrypt a cryptogram: the key may have rotated.
  async refreshAfterDecryptFailure(): Promise<void> {
    if (this.current?.pinned || Date.now() - this.lastFetchAt < MIN_REFETCH_GAP_MS) return;
    await this.fetch().catch((err: Error) => this.logger.warn(`public key refresh failed: ${err.message}`));
  }

  @Interval('epay-public-key-refresh', REFRESH_INTERVAL_MS)
  async scheduledRefresh(): Promise<void> {
    if (this.current?.pinned) return;
    await this.fetch().catch((err: Error) => this.logger.warn(`scheduled public key refresh failed: ${err.message}`));
  }

  private fetch(): Promise<EpayPublicKey> {
    this.loading ??= (async () => {
      this.lastFetchAt = Date.now();
      try {
        const pem = await this.homebank.fetchPublicKey();
        let key: EpayPublicKey;
        try {
          key = parseRsaPublicKey(pem);
        } catch (err) {
          throw new AppException(ErrorCode.GATEWAY_MALFORMED_RESPONSE, 'ePay public key could not be read', undefined, {
            cause: err,
          });
        }
        if (this.current && this.current.fingerprint !== key.fingerprint) {
          this.logger.warn(`ePay public key changed: ${this.current.fingerprint} -> ${key.fingerprint}`);
        }
        this.current = key;
        return key;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
