// What a key is for decides what it may do (see access-policy.ts). Prefixes are fixed: other tools
// recognise keys by them.
export enum ApiKeyKind {
  // the company's servers: everything the client API offers
  SECRET = 'secret',
  // embedded in a web page or app: new-card / wallet / widget payments and reading them back by client secret
  PUBLISHABLE = 'publishable',
  // minted by the company's server for one customer account, short-lived, browser-safe
  CUSTOMER_SESSION = 'customer_session',
  // one per back-office person, with an AdminRole
  ADMIN = 'admin',
}

export enum AdminRole {
  VIEWER = 'viewer',
  OPERATOR = 'operator',
  OWNER = 'owner',
}

export const KEY_PREFIX: Record<ApiKeyKind, string> = {
  [ApiKeyKind.SECRET]: 'sk',
  [ApiKeyKind.PUBLISHABLE]: 'pk',
  [ApiKeyKind.CUSTOMER_SESSION]: 'cs',
  [ApiKeyKind.ADMIN]: 'ak',
};

// Keys issued before key kinds existed ("epk_live_…" = client, "epk_admin_…" = admin).
export const LEGACY_KEY_PREFIX = 'epk_';
