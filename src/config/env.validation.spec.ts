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
    };
    expect(() => validateEnv(production)).toThrow(/CLIENT_SECRET_KEY: required/);
    expect(() => validateEnv({ ...production, CLIENT_SECRET_KEY: 'short' })).toThrow(/CLIENT_SECRET_KEY/);
    expect(validateEnv({ ...production, CLIENT_SECRET_KEY: 'k'.repeat(32) }).EPAY_ENV).toBe('test');
  });
});
