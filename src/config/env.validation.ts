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
import { IsReadableFile } from '../modules/wallets/utils/is-readable-file.decorator';

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

  // `name` is Required in seeds 000 and 004: sent when neither the caller nor the card/wallet gives one
  @IsString()
  @Matches(/^\S.{0,99}$/, { message: 'must be 1 to 100 characters, not starting with a space' })
  EPAY_DEFAULT_PAYER_NAME = 'CARD HOLDER';

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

  // --- wallets, widget, P2P ---
  // Google Pay on/off: POST /v1/payments/google-pay and GET /v1/wallets/google-pay/config (off: 404 FEATURE_DISABLED)
  @Transform(toBool)
  @IsBoolean()
  GOOGLE_PAY_ENABLED = true;

  // Google Pay environment for the frontend, TEST or PRODUCTION; unset = PRODUCTION when EPAY_ENV=prod, else TEST
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['TEST', 'PRODUCTION'])
  GOOGLE_PAY_ENVIRONMENT?: 'TEST' | 'PRODUCTION';

  // gateway name of ePay at Google (tokenizationSpecification.parameters.gateway); the bank confirms it
  @IsString()
  @Matches(/^[a-z0-9_-]{1,64}$/i, { message: 'must be a Google Pay gateway name such as halykbank' })
  GOOGLE_PAY_GATEWAY = 'halykbank';

  // our id at that gateway (gatewayMerchantId); unset = the ePay terminal id
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(1)
  GOOGLE_PAY_GATEWAY_MERCHANT_ID?: string;

  // Google merchant id from the Google Pay & Wallet Console; required in the PRODUCTION environment
  @Transform(emptyToUndefined)
  @ValidateIf(
    (env: EnvironmentVariables) =>
      env.GOOGLE_PAY_ENABLED &&
      (env.GOOGLE_PAY_ENVIRONMENT ?? (env.EPAY_ENV === 'prod' ? 'PRODUCTION' : 'TEST')) === 'PRODUCTION',
  )
  @IsString()
  @MinLength(1)
  GOOGLE_PAY_MERCHANT_ID?: string;

  // merchant name shown on the Google Pay sheet
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^.{1,100}$/, { message: 'must be 1 to 100 characters' })
  GOOGLE_PAY_MERCHANT_NAME?: string;

  // card networks offered in Google Pay, comma-separated
  @Matches(/^\s*((AMEX|DISCOVER|ELECTRON|ELO|ELO_DEBIT|INTERAC|JCB|MAESTRO|MASTERCARD|VISA)\s*(,\s*|$))+$/, {
    message: 'must be a comma-separated list of Google Pay card networks (VISA, MASTERCARD, AMEX, …)',
  })
  GOOGLE_PAY_CARD_NETWORKS = 'VISA,MASTERCARD';

  // Google Pay auth methods offered: PAN_ONLY (cards on file; the bank may ask for 3-D Secure), CRYPTOGRAM_3DS (device tokens)
  @Matches(/^\s*(PAN_ONLY|CRYPTOGRAM_3DS)(\s*,\s*(PAN_ONLY|CRYPTOGRAM_3DS))*\s*$/, {
    message: 'must be PAN_ONLY and/or CRYPTOGRAM_3DS, comma-separated',
  })
  GOOGLE_PAY_AUTH_METHODS = 'PAN_ONLY,CRYPTOGRAM_3DS';

  // Apple Pay on/off: POST /v1/payments/apple-pay, POST /v1/wallets/apple-pay/session (off: 404 FEATURE_DISABLED)
  @Transform(toBool)
  @IsBoolean()
  APPLE_PAY_ENABLED = false;

  // ePay body for Apple Pay: seed = S4 (decrypted payment data as cryptogramApplePay), sdk = the bank's iOS SDK (raw token as applePay)
  @IsIn(['seed', 'sdk'])
  APPLE_PAY_VARIANT: 'seed' | 'sdk' = 'seed';

  // Apple merchant identifier, e.g. merchant.kz.example.shop; required when Apple Pay is enabled
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.APPLE_PAY_ENABLED)
  @IsString()
  @Matches(/^merchant\.[A-Za-z0-9.-]+$/, {
    message: 'must be an Apple merchant identifier such as merchant.kz.example.shop',
  })
  APPLE_PAY_MERCHANT_ID?: string;

  // Apple Pay Merchant Identity certificate (PEM), used for merchant validation; must be readable when enabled
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.APPLE_PAY_ENABLED)
  @IsReadableFile()
  APPLE_PAY_MERCHANT_CERT_PATH?: string;

  // private key (PEM) of that certificate; must be readable when enabled
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.APPLE_PAY_ENABLED)
  @IsReadableFile()
  APPLE_PAY_MERCHANT_KEY_PATH?: string;

  // name on the Apple Pay sheet (merchant session displayName); unset = APPLE_PAY_MERCHANT_ID
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^.{1,64}$/, { message: 'must be 1 to 64 characters' })
  APPLE_PAY_DISPLAY_NAME?: string;

  // domain registered with Apple for Apple Pay on the web (initiativeContext); unset = the host of PUBLIC_BASE_URL
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i, {
    message: 'must be a domain name such as shop.example.kz',
  })
  APPLE_PAY_DOMAIN?: string;

  // ePay path of card-to-card transfers: /payments/cards/auth (seed S3; default) or /p2p/transfer (the bank's SDK)
  @Matches(/^\/[A-Za-z0-9/_-]+$/, { message: 'must be a path such as /payments/cards/auth' })
  P2P_TRANSFER_PATH = '/payments/cards/auth';

  // --- status polling ---
  // seconds between re-checks of a payment still in flight; the last step repeats
  @IsString()
  @Matches(/^\s*[1-9]\d*(\s*,\s*[1-9]\d*)*\s*$/, { message: 'must be a comma-separated list of positive seconds' })
  POLLER_BACKOFF_SECONDS = '30,60,120,300,900,3600,21600';

  // run the scheduled reconciliation poller in this replica (tests turn it off unless they test it)
  @Transform(toBool)
  @IsBoolean()
  POLLER_ENABLED = true;

  // milliseconds between poller runs (a run that is still going skips the next tick)
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(3_600_000)
  POLLER_INTERVAL_MS = 5000;

  // items claimed per batch (a run claims several batches while a full one comes back)
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  POLLER_BATCH_SIZE = 25;

  // how long a replica's claim on an item lasts; must outlast a batch's status checks, or an item may be checked twice
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  POLLER_LEASE_MS = 300000;

  // status checks one replica runs in parallel
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  POLLER_CONCURRENCY = 4;

  // after this many hours still in flight (authorised: past the auth window) an item is flagged needs_attention and no longer polled
  @Transform(toInt)
  @IsInt()
  @Min(1)
  POLLER_MAX_AGE_HOURS = 72;

  // --- status checks ---
  // per payment (and replica) at most one status check with ePay is in flight and at most one starts
  // per this interval; refreshes, callbacks and the reconciliation report within it share the answer
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  STATUS_CHECK_MIN_INTERVAL_MS = 2000;

  // --- postLink webhooks ---
  // a payment that got a callback is re-checked by the poller this soon, in case the in-process confirmation is lost
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  POSTLINK_RECHECK_AFTER_MS = 15000;

  // status checks that confirm callbacks, run in parallel in one replica
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  POSTLINK_CONFIRM_CONCURRENCY = 4;

  // callbacks for unknown or forged postLink URLs stored per hour as a sample (the rest are only counted)
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  POSTLINK_UNMATCHED_SAMPLE_PER_HOUR = 100;

  // callbacks stored per payment; more are only counted (and still ask for a coalesced status check)
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  POSTLINK_MAX_PER_PAYMENT = 50;

  // a stored callback body larger than this (JSON, after redaction) is replaced by its size and keys
  @Transform(toInt)
  @IsInt()
  @Min(256)
  @Max(1_048_576)
  POSTLINK_MAX_STORED_BODY_BYTES = 16384;

  // --- admin ---
  // smallest refund per currency in minor units ("CUR:min,…"). ePay documents 10 KZT only (API.md §6);
  // a currency not listed has no minimum of ours and the bank's refusal ends such a refund as failed
  @Matches(/^\s*[A-Za-z]{3}\s*:\s*\d+(\s*,\s*[A-Za-z]{3}\s*:\s*\d+)*\s*$/, {
    message: 'must look like KZT:1000,USD:100',
  })
  ADMIN_REFUND_MINIMUMS = 'KZT:1000';

  // an admin refund, charge or cancel whose outcome is still open after this long is flagged needs_attention
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ADMIN_ATTENTION_AFTER_HOURS = 24;

  // GET /v1/admin/reconciliation: longest period, most of our payments one report compares, and most
  // status checks it may make when the bank refuses the /operations registry (one HTTP call each)
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(92)
  ADMIN_RECONCILIATION_MAX_DAYS = 31;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50000)
  ADMIN_RECONCILIATION_MAX_PAYMENTS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  ADMIN_RECONCILIATION_MAX_STATUS_CHECKS = 300;

  // --- outbound events ---
  // deliver queued outbound events from this replica (the outbox is written either way)
  @Transform(toBool)
  @IsBoolean()
  OUTBOUND_EVENTS_ENABLED = true;

  // milliseconds between delivery runs of the outbound-events worker
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60000)
  OUTBOUND_EVENTS_INTERVAL_MS = 1000;

  // deliveries one replica claims per run
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  OUTBOUND_EVENTS_BATCH_SIZE = 50;

  // parallel HTTP requests to company endpoints per replica
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  OUTBOUND_EVENTS_CONCURRENCY = 10;

  // timeout of one delivery attempt (the receiver must answer 2xx within it)
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  OUTBOUND_EVENTS_TIMEOUT_MS = 10000;

  // seconds before each retry of a failed delivery; once used up the delivery is dead (default ≈ 32 h)
  @IsString()
  @Matches(/^\s*[1-9]\d*(\s*,\s*[1-9]\d*)*\s*$/, { message: 'must be a comma-separated list of positive seconds' })
  OUTBOUND_EVENTS_RETRY_SECONDS = '10,30,60,300,900,1800,3600,7200,14400,28800,28800,28800';

  // random spread of each retry delay, ± percent (spreads retries of many deliveries after an outage)
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(50)
  OUTBOUND_EVENTS_RETRY_JITTER_PERCENT = 20;

  // --- API keys ---
  @Transform(toBool)
  @IsBoolean()
  DEV_API_KEYS = true;

  // lifetime of a customer session key (cs_…) minted by POST /v1/customer-sessions
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  CUSTOMER_SESSION_TTL_MINUTES = 15;

  // HMAC key for payments' and transfers' clientSecret (32+ characters); unset = derived from ENCRYPTION_KEY
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32)
  CLIENT_SECRET_KEY?: string;

  // --- abuse resistance (issue 14) ---
  // rate limits on/off; unset = on, except NODE_ENV=test (the suite sends bursts; limiter tests turn it on)
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  RATE_LIMIT_ENABLED?: boolean;

  // length of one rate-limit window; every limit below counts requests per window, per replica
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  // requests per window of one API key (all its routes together)
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_KEY = 1200;

  // requests per window from one client IP to routes without an API key (3-D Secure pages, callbacks, health);
  // ePay's postLink callbacks come from a few bank addresses: keep it above the peak payments per window
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PUBLIC_PER_IP = 3000;

  // 401 answers (missing, wrong or revoked key) per window from one client IP before that IP gets 429
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_AUTH_FAILURES_PER_IP = 20;

  // deliver outbound events to private, loopback, link-local or reserved addresses (local receivers only; refused in production)
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_URLS = false;

  // origins backLink and failureBackLink may point to, comma-separated (https://shop.example.kz); required in production;
  // unset outside production = PUBLIC_BASE_URL's origin and http(s)://localhost / 127.0.0.1 on any port
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  RETURN_URL_ORIGINS?: string;

  // master key for secrets at rest (webhook signing secrets): 32 bytes as 64 hex characters or base64;
  // required in production, a fixed development key (with a warning) otherwise
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ENCRYPTION_KEY?: string;

  // earlier master keys, comma-separated, still accepted for decryption while rows are re-encrypted (rotation)
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ENCRYPTION_KEYS_OLD?: string;

  // /metrics: on/off, and a bearer token it then requires (unset = open, as a scrape target on a private network)
  @Transform(toBool)
  @IsBoolean()
  METRICS_ENABLED = true;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  // /docs and /docs-json (OpenAPI); unset = on outside production, off in production
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  DOCS_ENABLED?: boolean;

  // --- retention: rows older than this many days are deleted in batches (0 = keep forever) ---
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RETENTION_GATEWAY_EXCHANGES_DAYS = 90;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  RETENTION_POSTLINK_CALLBACKS_DAYS = 90;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  RETENTION_OUTBOUND_ATTEMPTS_DAYS = 30;

  // payment events keep their status history; only the raw bank payload is cleared after this many days
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RETENTION_PAYMENT_EVENT_PAYLOADS_DAYS = 180;

  // customer sessions are deleted this many days after they expired
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RETENTION_CUSTOMER_SESSIONS_DAYS = 7;

  // run the retention job in this replica, how often, and how many rows one statement removes
  @Transform(toBool)
  @IsBoolean()
  RETENTION_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  RETENTION_INTERVAL_MS = 3_600_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  RETENTION_BATCH_SIZE = 5000;
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
    if (!env.RETURN_URL_ORIGINS) problems.push('RETURN_URL_ORIGINS: required when NODE_ENV=production');
    if (!env.ENCRYPTION_KEY) problems.push('ENCRYPTION_KEY: required when NODE_ENV=production');
    if (env.WEBHOOK_ALLOW_PRIVATE_URLS) {
      problems.push('WEBHOOK_ALLOW_PRIVATE_URLS: refused when NODE_ENV=production (local development only)');
    }
  }
  for (const [name, value] of [
    ['RETURN_URL_ORIGINS', env.RETURN_URL_ORIGINS],
    ['ENCRYPTION_KEY', env.ENCRYPTION_KEY],
    ['ENCRYPTION_KEYS_OLD', env.ENCRYPTION_KEYS_OLD],
  ] as const) {
    const problem = value === undefined ? null : listProblem(name, value);
    if (problem) problems.push(problem);
  }
  if (problems.length) {
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return env;
}

function listProblem(name: string, value: string): string | null {
  const items = value.split(',').map((v) => v.trim());
  if (items.some((v) => !v)) return `${name}: empty item in the comma-separated list`;
  if (name === 'RETURN_URL_ORIGINS') {
    const bad = items.find((v) => parseOrigin(v) === null);
    return bad ? `${name}: "${bad}" is not an origin such as https://shop.example.kz` : null;
  }
  if (name === 'ENCRYPTION_KEY' && items.length > 1) return `${name}: one key (older ones go in ENCRYPTION_KEYS_OLD)`;
  return items.every((v) => parseEncryptionKey(v) !== null)
    ? null
    : `${name}: must be 32 bytes as 64 hex characters or base64`;
}

// "https://shop.example.kz" (scheme, host, optional port; nothing else) → its normalised origin
export function parseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
      return null;
    }
    if (value.replace(/\/+$/, '').toLowerCase() !== url.origin.toLowerCase()) return null;
    return url.origin;
  } catch {
    return null;
  }
}

export function parseEncryptionKey(value: string): Buffer | null {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  return key.length === 32 ? key : null;
}
