import { validateEnv } from './env.validation';

describe('validateEnv', () => {
  it('applies defaults', () => {
    const env = validateEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.EPAY_ENV).toBe('sandbox');
  });

  it('treats an empty variable as unset', () => {
    expect(validateEnv({ PORT: '', POLLER_BACKOFF_SECONDS: '' }).PORT).toBe(3000);
  });

  it('names the wrong variable', () => {
    expect(() => validateEnv({ POLLER_BACKOFF_SECONDS: '0' })).toThrow(/POLLER_BACKOFF_SECONDS/);
    expect(() => validateEnv({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => validateEnv({ EPAY_ENV: 'live' })).toThrow(/EPAY_ENV/);
    expect(() => validateEnv({ EPAY_API_URL: 'not a url' })).toThrow(/EPAY_API_URL/);
  });

  it('requires credentials for prod and refuses sandbox or the embedded database in production', () => {
    expect(() => validateEnv({ EPAY_ENV: 'prod' })).toThrow(
      /EPAY_CLIENT_ID[\s\S]*EPAY_CLIENT_SECRET[\s\S]*EPAY_TERMINAL_ID/,
    );
    expect(() =>
      validateEnv({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@db/x', PUBLIC_BASE_URL: 'https://p.kz' }),
    ).toThrow(/EPAY_ENV: sandbox is refused/);
    expect(() => validateEnv({ NODE_ENV: 'production', EPAY_ENV: 'test', PUBLIC_BASE_URL: 'https://p.kz' })).toThrow(
      /DATABASE_URL: required/,
    );
    const production = {
      NODE_ENV: 'production',
      EPAY_ENV: 'test',
      DATABASE_URL: 'postgres://x@db/x',
      PUBLIC_BASE_URL: 'https://p.kz',
      RETURN_URL_ORIGINS: 'https://shop.p.kz',
      ENCRYPTION_KEY: KEY,
    };
    expect(validateEnv(production).EPAY_ENV).toBe('test');
    expect(() => validateEnv({ ...production, CLIENT_SECRET_KEY: 'short' })).toThrow(/CLIENT_SECRET_KEY/);
  });

  const KEY = 'a'.repeat(64);
  const PRODUCTION = {
    NODE_ENV: 'production',
    EPAY_ENV: 'test',
    DATABASE_URL: 'postgres://x@db/x',
    PUBLIC_BASE_URL: 'https://p.kz',
  };

  it('production needs return-URL origins and a master key, and refuses private webhook URLs', () => {
    expect(() => validateEnv(PRODUCTION)).toThrow(/RETURN_URL_ORIGINS: required[\s\S]*ENCRYPTION_KEY: required/);
    expect(() =>
      validateEnv({
        ...PRODUCTION,
        RETURN_URL_ORIGINS: 'https://a.kz',
        ENCRYPTION_KEY: KEY,
        WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      }),
    ).toThrow(/WEBHOOK_ALLOW_PRIVATE_URLS: refused/);
  });

  it('checks origins and keys', () => {
    expect(() => validateEnv({ RETURN_URL_ORIGINS: 'https://a.kz/path' })).toThrow(
      /RETURN_URL_ORIGINS: "https:\/\/a.kz\/path"/,
    );
    expect(() => validateEnv({ RETURN_URL_ORIGINS: 'https://u@a.kz' })).toThrow(/RETURN_URL_ORIGINS/);
    expect(validateEnv({ RETURN_URL_ORIGINS: 'https://a.kz, http://localhost:5173' }).RETURN_URL_ORIGINS).toBeDefined();
    expect(() => validateEnv({ ENCRYPTION_KEY: 'short' })).toThrow(/ENCRYPTION_KEY: must be 32 bytes/);
    expect(() => validateEnv({ ENCRYPTION_KEYS_OLD: `${KEY},nope` })).toThrow(/ENCRYPTION_KEYS_OLD/);
    expect(validateEnv({ ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }).ENCRYPTION_KEY).toBeDefined();
  });
});
