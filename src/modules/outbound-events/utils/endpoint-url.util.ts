import { parseHttpUrl } from '../../../common/http/http-url.util';
import { hostProblem } from './address-policy.util';

// Why a webhook endpoint URL is refused, or null when it is acceptable. Plain http only outside production;
// private, loopback and other non-public addresses only with WEBHOOK_ALLOW_PRIVATE_URLS (local receivers);
// credentials in the URL are refused because the URL is shown in lists and logs of the admin API.
export function endpointUrlProblem(value: string, production: boolean, allowPrivate = false): string | null {
  const url = parseHttpUrl(value);
  if (typeof url === 'string') return url;
  if (production && url.protocol !== 'https:') return 'must use https';
  if (!url.hostname) return 'must have a host';
  if (url.hash) return 'must not contain a fragment';
  const host = allowPrivate ? null : hostProblem(url.hostname);
  if (host) return `host ${host}; only public addresses receive events`;
  return null;
}
