import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveFromMasterKey } from '../common/crypto/secret-box';
import { AppConfigService } from '../config/app-config.service';
import type { OwnResource } from './auth.decorators';

// A payment's (or transfer's) client secret: what a browser shows to read back the one payment it
// started. It is an HMAC of the id, so nothing is stored (not even in idempotent replays) and
// checking it costs no query: "<id>_secret_<mac>".
@Injectable()
export class ClientSecretService {
  private readonly key: Buffer;

  constructor(config: AppConfigService) {
    const configured = config.get('CLIENT_SECRET_KEY');
    // by default derived from ENCRYPTION_KEY (the same on every replica and across restarts)
    this.key = configured
      ? Buffer.from(configured, 'utf8')
      : deriveFromMasterKey({ ENCRYPTION_KEY: config.get('ENCRYPTION_KEY') }, 'client-secret/v1');
  }

  mint(kind: OwnResource, id: string): string {
    return `${id}_secret_${this.mac(kind, id)}`;
  }

  verify(kind: OwnResource, id: string, secret: string | undefined): boolean {
    if (!secret || secret.length > 200) return false;
    const expected = Buffer.from(this.mint(kind, id));
    const given = Buffer.from(secret);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(kind: OwnResource, id: string): string {
    return createHmac('sha256', this.key).update(`${kind}:${id}`).digest('base64url');
  }
}
