import { AdminRole, ApiKeyKind } from './api-key-kind.enum';

// Who is calling, as the guard attaches it to the request.
export interface AuthenticatedApiKey {
  // the key's id (for a customer session: the session's id); idempotency keys are scoped by it
  id: string;
  name: string;
  kind: ApiKeyKind;
  adminRole: AdminRole | null;
  // customer sessions only: the one account it may act for
  accountId: string | null;
  livemode: boolean;
  // an "epk_" key from before key kinds
  legacy: boolean;
}

// What a route needs. A route names one or more capabilities (any of them lets the caller in);
// a caller has the capabilities of its kind (and admin role). The whole policy is this file.
export enum Capability {
  WHOAMI = 'whoami',
  // public key, Google Pay config, Apple Pay merchant session
  CHECKOUT_CONFIG = 'checkout_config',
  // a payment with new card data, a client-built cryptogram, Google Pay, Apple Pay or the widget
  START_PAYMENTS = 'start_payments',
  // list saved cards, pay with them, save a new one
  USE_SAVED_CARDS = 'use_saved_cards',
  DELETE_SAVED_CARDS = 'delete_saved_cards',
  START_TRANSFERS = 'start_transfers',
  // any payment / transfer by id
  READ_ANY_PAYMENT = 'read_any_payment',
  // one payment / transfer, proven by its client secret (X-Client-Secret)
  READ_OWN_PAYMENT = 'read_own_payment',
  CREATE_CUSTOMER_SESSIONS = 'create_customer_sessions',
  // back office: search, investigation, lists, reports, delivery history
  ADMIN_READ = 'admin_read',
  // back office: refund, charge, cancel, sync, replay
  ADMIN_ACT = 'admin_act',
  // back office: API keys and webhook endpoints
  ADMIN_MANAGE = 'admin_manage',
}

// A key that may sit in a web page: it proves each payment it reads and is bound to its account.
export const BROWSER_KINDS: ReadonlySet<ApiKeyKind> = new Set([ApiKeyKind.PUBLISHABLE, ApiKeyKind.CUSTOMER_SESSION]);

const C = Capability;
const VIEWER = [C.WHOAMI, C.READ_ANY_PAYMENT, C.ADMIN_READ];
const OPERATOR = [...VIEWER, C.ADMIN_ACT, C.DELETE_SAVED_CARDS];

// One row per kind of caller; the README's key table says the same in words.
export const GRANTS: Record<string, readonly Capability[]> = {
  [ApiKeyKind.SECRET]: [
    C.WHOAMI,
    C.CHECKOUT_CONFIG,
    C.START_PAYMENTS,
    C.USE_SAVED_CARDS,
    C.DELETE_SAVED_CARDS,
    C.START_TRANSFERS,
    C.READ_ANY_PAYMENT,
    C.CREATE_CUSTOMER_SESSIONS,
  ],
  [ApiKeyKind.PUBLISHABLE]: [C.WHOAMI, C.CHECKOUT_CONFIG, C.START_PAYMENTS, C.READ_OWN_PAYMENT],
  // bound to its accountId by the guard on every route that names an account
  [ApiKeyKind.CUSTOMER_SESSION]: [
    C.WHOAMI,
    C.CHECKOUT_CONFIG,
    C.START_PAYMENTS,
    C.USE_SAVED_CARDS,
    C.DELETE_SAVED_CARDS,
    C.START_TRANSFERS,
    C.READ_OWN_PAYMENT,
  ],
  [`${ApiKeyKind.ADMIN}:${AdminRole.VIEWER}`]: VIEWER,
  [`${ApiKeyKind.ADMIN}:${AdminRole.OPERATOR}`]: OPERATOR,
  [`${ApiKeyKind.ADMIN}:${AdminRole.OWNER}`]: [...OPERATOR, C.ADMIN_MANAGE],
};

export function principalOf(key: Pick<AuthenticatedApiKey, 'kind' | 'adminRole'>): string {
  return key.kind === ApiKeyKind.ADMIN ? `${key.kind}:${key.adminRole ?? AdminRole.VIEWER}` : key.kind;
}

export function grants(key: Pick<AuthenticatedApiKey, 'kind' | 'adminRole'>): readonly Capability[] {
  return GRANTS[principalOf(key)] ?? [];
}

export function mayUse(key: Pick<AuthenticatedApiKey, 'kind' | 'adminRole'>, capability: Capability): boolean {
  return grants(key).includes(capability);
}

// For the OpenAPI document and error messages: which callers a set of capabilities lets in.
export function principalsFor(capabilities: readonly Capability[]): string[] {
  return Object.keys(GRANTS).filter((p) => capabilities.some((c) => GRANTS[p].includes(c)));
}
