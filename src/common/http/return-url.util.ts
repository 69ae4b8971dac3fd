import type { AppConfigService } from '../../config/app-config.service';
import { AppException } from '../errors/app.exception';
import { ErrorCode } from '../errors/error-code.enum';
import { parseHttpUrl } from './http-url.util';

export interface ReturnUrlPolicy {
  origins: readonly string[];
  // outside production: http(s)://localhost, 127.0.0.1 and [::1] on any port
  localAnyPort: boolean;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
// characters the WHATWG parser strips or reinterprets (tab, newline, backslash), so browsers and other
// parsers could disagree with ours about the host: refused outright
const AMBIGUOUS = /[\s\\\u0000-\u001f\u007f]/;

// Why a backLink/failureBackLink may not be used, or null. The URL is normalised with the WHATWG parser
// (what browsers use) and its origin compared exactly; userinfo is refused (https://shop@evil/...).
export function returnUrlProblem(value: string, policy: ReturnUrlPolicy): string | null {
  if (AMBIGUOUS.test(value)) return 'must not contain whitespace, control characters or backslashes';
  const url = parseHttpUrl(value);
  if (typeof url === 'string') return url;
  if (policy.origins.includes(url.origin)) return null;
  if (policy.localAnyPort && LOCAL_HOSTS.has(url.hostname)) return null;
  return `must point to an allowed origin (RETURN_URL_ORIGINS), not ${url.origin}`;
}

export function returnUrlPolicy(config: AppConfigService): ReturnUrlPolicy {
  return config.returnUrlOrigins;
}

// For request DTOs: 400 naming the field, and the normalised URL to store.
export function checkedReturnUrls<T extends { backLink?: string; failureBackLink?: string }>(
  dto: T,
  policy: ReturnUrlPolicy,
): { backLink: string | null; failureBackLink: string | null } {
  const out = { backLink: null as string | null, failureBackLink: null as string | null };
  for (const field of ['backLink', 'failureBackLink'] as const) {
    const value = dto[field];
    if (value === undefined || value === null) continue;
    const problem = returnUrlProblem(value, policy);
    if (problem) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, `Invalid request: ${field}`, [
        { field, message: `${field} ${problem}` },
      ]);
    }
    out[field] = new URL(value).href;
  }
  return out;
}
