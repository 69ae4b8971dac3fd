import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  Matches,
  MinLength,
  validateSync,
  ValidateIf,
} from 'class-validator';

export const EPAY_ENVS = ['sandbox', 'test', 'prod'] as const;
export type EpayEnv = (typeof EPAY_ENVS)[number];
export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  const v = String(value).toLowerCase();
  return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : value;
};
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const urlOptions = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

// Every variable the service reads; documented one by one in .env.example.
export class EnvironmentVariables {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(urlOptions)
  PUBLIC_BASE_URL?: string;

  // browser origins allowed to call the API (company frontends): comma-separated, or * ; empty = no CORS
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  LOG_FILE?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 102400;

  // --- database ---
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['postgres', 'postgresql'], require_protocol: true })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @IsString()
  DATA_DIR = './data';

  // memory:// keeps the embedded database in memory (tests)
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  PGLITE_DATA_DIR?: string;

  // a PGlite data-dir tarball to start from (tests load a pre-migrated snapshot)
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  PGLITE_SNAPSHOT_FILE?: string;

  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  MIGRATIONS_RUN?: boolean;

  // --- ePay gateway ---
  @IsIn(EPAY_ENVS)
  EPAY_ENV: EpayEnv = 'sandbox';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(urlOptions)
  EPAY_OAUTH_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(urlOptions)
  EPAY_API_URL?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.EPAY_ENV === 'prod')
  @IsString()
  @MinLength(1)
  EPAY_CLIENT_ID?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.EPAY_ENV === 'prod')
  @IsString()
  @MinLength(1)
  EPAY_CLIENT_SECRET?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.EPAY_ENV === 'prod')
  @IsString()
  @MinLength(1)
  EPAY_TERMINAL_ID?: string;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120000)
  EPAY_TIMEOUT_MS = 15000;

  // pin ePay's RSA public key (PEM; "\n" escapes allowed) instead of fetching {EPAY_API_URL}/public.rsa
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  EPAY_PUBLIC_KEY_PEM?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  SANDBOX_PORT = 0;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  SANDBOX_LATENCY_MS = 0;

  @IsIn(['CHARGE', 'AUTH'])
  SANDBOX_CAPTURE_MODE: 'CHARGE' | 'AUTH' = 'CHARGE';

  // --- payments ---
  // how long an authorisation (two-step terminal) is expected to hold before the bank drops it (CANCEL_OLD)
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_WINDOW_HOURS = 168;

  // the last six digits of an invoice id stay reserved this long (the bank wants them unique)
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INVOICE_SUFFIX_RETENTION_DAYS = 90;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  IDEMPOTENCY_TTL_HOURS = 48;

  // --- wallets, widget, P2P (issue #5) ---

  // --- status polling (issue #6) ---
  // seconds between re-checks of a payment still in flight; the last step repeats
  @IsString()
  @Matches(/^\s*[1-9]\d*(\s*,\s*[1-9]\d*)*\s*$/, { message: 'must be a comma-separated list of positive seconds' })
  POLLER_BACKOFF_SECONDS = '30,60,120,300,900,3600,21600';

  // --- postLink webhooks (issue #6) ---

  // --- admin (issue #7) ---

  // --- outbound events (issue #8) ---

  // --- API keys ---
  @Transform(toBool)
  @IsBoolean()
  DEV_API_KEYS = true;
}

export function formatValidationErrors(errors: ReturnType<typeof validateSync>): string {
  return errors
    .map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ') || 'invalid value'}`)
    .join('\n  ');
}

export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  // an empty variable (FOO=) means "not set": the default applies
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '' && v !== undefined));
  const env = plainToInstance(EnvironmentVariables, given, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  const problems: string[] = errors.length ? [formatValidationErrors(errors)] : [];
  if (env.NODE_ENV === 'production') {
    if (env.EPAY_ENV === 'sandbox') problems.push('EPAY_ENV: sandbox is refused when NODE_ENV=production');
    if (!env.DATABASE_URL) problems.push('DATABASE_URL: required when NODE_ENV=production (no embedded database)');
    if (!env.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: required when NODE_ENV=production');
  }
  if (problems.length) {
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return env;
}
