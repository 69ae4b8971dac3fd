// Route names used for request counting and fault targeting (FaultSpec.path may be one of these).
export const ROUTE_NAMES = [
  'oauth',
  'public.rsa',
  'cryptopay',
  'confirm',
  'cards/auth',
  'acs',
  'p2p',
  'check-status',
  'check-status-p2p',
  'charge',
  'cancel',
  'refund',
  'operation',
  'operations',
  'cards',
  'card-deactivate',
  'payform',
  'unknown',
] as const;

export type RouteName = (typeof ROUTE_NAMES)[number];

const TABLE: Array<[RegExp, RouteName]> = [
  [/^\/(epay2\/)?oauth2\/token\/?$/, 'oauth'],
  [/^\/public\.rsa$/, 'public.rsa'],
  [/^\/payment\/cryptopay\/?$/, 'cryptopay'],
  [/^\/payment\/confirm\/?$/, 'confirm'],
  [/^\/payments\/cards\/confirmPayment\/?$/, 'confirm'],
  [/^\/payments\/cards\/auth\/?$/, 'cards/auth'],
  [/^\/acs(\/submit)?\/?$/, 'acs'],
  [/^\/(p2p|chdebit|chpayment)\/transfer\/?$/, 'p2p'],
  [/^\/check-status\/payment\/transaction\/[^/]+\/?$/, 'check-status'],
  [/^\/check-status\/p2p\/transaction\/[^/]+\/?$/, 'check-status-p2p'],
  [/^\/operation\/[^/]+\/charge\/?$/, 'charge'],
  [/^\/operation\/[^/]+\/cancel\/?$/, 'cancel'],
  [/^\/operation\/[^/]+\/refund\/?$/, 'refund'],
  [/^\/operation\/[^/]+\/?$/, 'operation'],
  [/^\/operations\/?$/, 'operations'],
  [/^\/cards\/[^/]+\/?$/, 'cards'],
  [/^\/card\/deactivate\/[^/]+\/?$/, 'card-deactivate'],
  [/^\/payform(\/.*)?$/, 'payform'],
];

// Routes are mounted at "/" and "/api/", so "/api" is stripped first.
export function routeNameOf(path: string): RouteName {
  const p = path.replace(/^\/api(?=\/)/, '');
  return TABLE.find(([re]) => re.test(p))?.[1] ?? 'unknown';
}
