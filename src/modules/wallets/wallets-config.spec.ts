import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnv } from '../../config/env.validation';
import { isReadableFile } from './utils/is-readable-file.decorator';

describe('wallet, widget and P2P configuration (issue #5)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wallets-config-'));
  const cert = join(dir, 'merchant.pem');
  const key = join(dir, 'merchant.key');
  writeFileSync(cert, 'cert');
  writeFileSync(key, 'key');

  it('has working defaults: Google Pay on (TEST), Apple Pay off, the seed 003 P2P path', () => {
    const env = validateEnv({});
    expect(env).toMatchObject({
      GOOGLE_PAY_ENABLED: true,
      GOOGLE_PAY_GATEWAY: 'halykbank',
      GOOGLE_PAY_CARD_NETWORKS: 'VISA,MASTERCARD',
      GOOGLE_PAY_AUTH_METHODS: 'PAN_ONLY,CRYPTOGRAM_3DS',
      APPLE_PAY_ENABLED: false,
      APPLE_PAY_VARIANT: 'seed',
      P2P_TRANSFER_PATH: '/payments/cards/auth',
    });
  });

  it('checks the Apple Pay merchant identity only when Apple Pay is enabled, files included', () => {
    expect(() => validateEnv({ APPLE_PAY_MERCHANT_CERT_PATH: '/nope' })).not.toThrow();
    expect(() => validateEnv({ APPLE_PAY_ENABLED: 'true' })).toThrow(
      /APPLE_PAY_MERCHANT_ID[\s\S]*APPLE_PAY_MERCHANT_CERT_PATH[\s\S]*APPLE_PAY_MERCHANT_KEY_PATH/,
    );
    const ok = {
      APPLE_PAY_ENABLED: 'true',
      APPLE_PAY_MERCHANT_ID: 'merchant.kz.example.shop',
      APPLE_PAY_MERCHANT_CERT_PATH: cert,
      APPLE_PAY_MERCHANT_KEY_PATH: key,
    };
    expect(validateEnv(ok).APPLE_PAY_ENABLED).toBe(true);
    expect(() => validateEnv({ ...ok, APPLE_PAY_MERCHANT_KEY_PATH: join(dir, 'missing.key') })).toThrow(
      /APPLE_PAY_MERCHANT_KEY_PATH: must name an existing, readable file/,
    );
    expect(() => validateEnv({ ...ok, APPLE_PAY_MERCHANT_CERT_PATH: dir })).toThrow(/APPLE_PAY_MERCHANT_CERT_PATH/);
    expect(() => validateEnv({ ...ok, APPLE_PAY_MERCHANT_ID: 'kz.example.shop' })).toThrow(/APPLE_PAY_MERCHANT_ID/);
    expect(() => validateEnv({ ...ok, APPLE_PAY_VARIANT: 'raw' })).toThrow(/APPLE_PAY_VARIANT/);
  });

  it('requires a Google merchant id for the PRODUCTION Google Pay environment (the default when EPAY_ENV=prod)', () => {
    const prod = { EPAY_ENV: 'prod', EPAY_CLIENT_ID: 'c', EPAY_CLIENT_SECRET: 's', EPAY_TERMINAL_ID: 't' };
    expect(() => validateEnv(prod)).toThrow(/GOOGLE_PAY_MERCHANT_ID/);
    expect(() => validateEnv({ GOOGLE_PAY_ENVIRONMENT: 'PRODUCTION' })).toThrow(/GOOGLE_PAY_MERCHANT_ID/);
    expect(validateEnv({ ...prod, GOOGLE_PAY_MERCHANT_ID: 'BCR2DN4T' }).GOOGLE_PAY_MERCHANT_ID).toBe('BCR2DN4T');
    expect(validateEnv({ ...prod, GOOGLE_PAY_ENABLED: 'false' }).GOOGLE_PAY_ENABLED).toBe(false);
    expect(validateEnv({ ...prod, GOOGLE_PAY_ENVIRONMENT: 'TEST' }).GOOGLE_PAY_ENVIRONMENT).toBe('TEST');
  });

  it('names wrong wallet and P2P values', () => {
    expect(() => validateEnv({ GOOGLE_PAY_CARD_NETWORKS: 'VISA,DINERSCLUB' })).toThrow(/GOOGLE_PAY_CARD_NETWORKS/);
    expect(() => validateEnv({ GOOGLE_PAY_AUTH_METHODS: 'PIN' })).toThrow(/GOOGLE_PAY_AUTH_METHODS/);
    expect(() => validateEnv({ GOOGLE_PAY_ENVIRONMENT: 'LIVE' })).toThrow(/GOOGLE_PAY_ENVIRONMENT/);
    expect(() => validateEnv({ P2P_TRANSFER_PATH: 'p2p/transfer' })).toThrow(/P2P_TRANSFER_PATH/);
    expect(validateEnv({ P2P_TRANSFER_PATH: '/p2p/transfer' }).P2P_TRANSFER_PATH).toBe('/p2p/transfer');
  });

  it('isReadableFile: a readable regular file only', () => {
    expect(isReadableFile(cert)).toBe(true);
    expect(isReadableFile(dir)).toBe(false);
    expect(isReadableFile(join(dir, 'missing'))).toBe(false);
    expect(isReadableFile('')).toBe(false);
    expect(isReadableFile(undefined)).toBe(false);
  });
});
