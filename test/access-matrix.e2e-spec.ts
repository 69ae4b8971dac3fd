import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AdminRole, ApiKeyKind } from '../src/api-keys/api-key-kind.enum';
import { hashApiKey } from '../src/api-keys/api-keys.service';
import { uniqueAccount } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

// Every route of the OpenAPI document × every kind of caller. The expectations are written here by
// hand from the table of key kinds (not read from the code's policy), so a route that lets
// the wrong key in, or a new route nobody classified, fails this test.
type Principal =
  | 'secret'
  | 'publishable'
  | 'customer_session'
  | 'admin:viewer'
  | 'admin:operator'
  | 'admin:owner'
  | 'legacy:client'
  | 'legacy:admin'
  | 'none';

const S = 'secret',
  P = 'publishable',
  C = 'customer_session',
  V = 'admin:viewer',
  O = 'admin:operator',
  W = 'admin:owner';
const ADMINS = [V, O, W] as const;
const EVERY_KEY = [S, P, C, ...ADMINS] as const;
const PUBLIC = 'public';

// Who gets past authorisation. Browser keys (P, C) reading a payment or transfer by id must also
// prove it with X-Client-Secret: without it they are refused, which is what this matrix sends.
const EXPECTED: Record<string, readonly string[] | typeof PUBLIC> = {
  'GET /health': PUBLIC,
  'GET /health/ready': PUBLIC,
  'GET /metrics': PUBLIC,
  'GET /v1/three-ds/{paymentId}': PUBLIC,
  'POST /v1/three-ds/{paymentId}/callback': PUBLIC,
  'POST /v1/webhooks/epay/post-link': PUBLIC,
  'POST /v1/webhooks/epay/failure-post-link': PUBLIC,
  'GET /js/checkout.js': PUBLIC,
  'GET /demo': PUBLIC,
  'GET /demo/return': PUBLIC,
  'GET /demo/config': PUBLIC,
  'GET /demo/{file}': PUBLIC,

  'GET /v1/me': EVERY_KEY,
  'POST /v1/customer-sessions': [S],
  'DELETE /v1/customer-sessions/{id}': [S],
  'GET /v1/crypto/public-key': EVERY_KEY,
  'GET /v1/wallets/google-pay/config': [S, P, C],
  'POST /v1/wallets/apple-pay/session': [S, P, C],

  'POST /v1/payments/card': [S, P, C],
  'POST /v1/payments/google-pay': [S, P, C],
  'POST /v1/payments/apple-pay': [S, P, C],
  'POST /v1/payments/widget': [S, P, C],
  'POST /v1/payments/saved-card': [S, C],
  'GET /v1/payments/{id}': [S, ...ADMINS],
  'GET /v1/accounts/{accountId}/cards': [S, C, ...ADMINS],
  'DELETE /v1/accounts/{accountId}/cards/{cardId}': [S, C, O, W],
  'POST /v1/transfers': [S, C],
  'GET /v1/transfers/{id}': [S, ...ADMINS],

  'GET /v1/admin/payments': ADMINS,
  'GET /v1/admin/payments/{id}': ADMINS,
  'POST /v1/admin/payments/{id}/refund': [O, W],
  'POST /v1/admin/payments/{id}/charge': [O, W],
  'POST /v1/admin/payments/{id}/cancel': [O, W],
  'POST /v1/admin/payments/{id}/sync': [O, W],
  'POST /v1/admin/payments/{id}/resolve-mismatch': [O, W],
  'POST /v1/admin/refunds/{id}/resolve': [O, W],
  'POST /v1/admin/operations/{id}/resolve': [O, W],
  'POST /v1/admin/transfers/{id}/resolve': [O, W],
  'GET /v1/admin/refunds': ADMINS,
  'GET /v1/admin/transfers': ADMINS,
  'GET /v1/admin/reconciliation': ADMINS,
  'GET /v1/admin/webhook-events': ADMINS,
  'GET /v1/admin/webhook-events/{id}': ADMINS,
  'GET /v1/admin/webhook-events/{id}/attempts': ADMINS,
  'POST /v1/admin/webhook-events/replay': [O, W],
  'POST /v1/admin/webhook-events/{id}/replay': [O, W],
  'GET /v1/admin/webhook-endpoints': [W],
  'POST /v1/admin/webhook-endpoints': [W],
  'GET /v1/admin/webhook-endpoints/{id}': [W],
  'PATCH /v1/admin/webhook-endpoints/{id}': [W],
  'DELETE /v1/admin/webhook-endpoints/{id}': [W],
  'POST /v1/admin/webhook-endpoints/{id}/disable': [W],
  'POST /v1/admin/webhook-endpoints/{id}/enable': [W],
  'POST /v1/admin/webhook-endpoints/{id}/rotate-secret': [W],
  'GET /v1/admin/webhook-endpoints/{id}/deliveries': [W],
  'GET /v1/admin/actions': [W],
  'GET /v1/admin/api-keys': [W],
  'POST /v1/admin/api-keys': [W],
  'DELETE /v1/admin/api-keys/{id}': [W],
};

// keys issued before key kinds act as the kind they were migrated to
const ACTS_AS: Partial<Record<Principal, string>> = { 'legacy:client': S, 'legacy:admin': W };

// What the HTTP server really routes (documented or not), as "METHOD /path/{param}"; the catch-all
// ("{/*splat}") only answers 404.
function servedRoutes(t: TestApp): string[] {
  const express = t.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack
    .filter((layer) => layer.route && !layer.route.path.startsWith('/docs') && !layer.route.path.includes('*'))
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`),
    );
}

interface Operation {
  method: string;
  path: string;
  allowedKeys?: string[];
  // served but not in the OpenAPI document
  hidden?: boolean;
}

describe('access matrix: every route of the OpenAPI document × every kind of key', () => {
  let t: TestApp;
  let operations: Operation[];
  const account = uniqueAccount('matrix');
  const keys = new Map<Principal, string>();

  beforeAll(async () => {
    t = await startTestApp();
    keys.set('secret', t.clientKey);
    keys.set('publishable', t.publishableKey);
    keys.set('customer_session', await t.createCustomerSession(account));
    keys.set('admin:viewer', await t.createKey(ApiKeyKind.ADMIN, AdminRole.VIEWER));
    keys.set('admin:operator', await t.createKey(ApiKeyKind.ADMIN, AdminRole.OPERATOR));
    keys.set('admin:owner', t.adminKey);
    for (const [principal, kind, role] of [
      ['legacy:client', 'secret', null],
      ['legacy:admin', 'admin', 'owner'],
    ] as const) {
      const key = `epk_${kind === 'admin' ? 'admin' : 'live'}_${randomUUID()}`;
      await t.dataSource.query(
        `INSERT INTO api_keys (name, kind, admin_role, livemode, key_hash, prefix) VALUES ($1, $2, $3, false, $4, $5)`,
        [principal, kind, role, hashApiKey(key), key.slice(0, 16)],
      );
      keys.set(principal, key);
    }
    const doc = await request(t.url).get('/docs-json').expect(200);
    const paths = doc.body.paths as Record<string, Record<string, { 'x-allowed-keys'?: string[] }>>;
    operations = Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        allowedKeys: op['x-allowed-keys'],
      })),
    );
    // routes the document leaves out are in the matrix too
    const documented = new Set(operations.map((o) => `${o.method} ${o.path}`));
    for (const route of new Set(servedRoutes(t))) {
      if (documented.has(route)) continue;
      const [method, path] = route.split(' ');
      operations.push({ method, path, hidden: true });
    }
  });
  afterAll(() => t?.close());

  it('classifies every route, documents who may call it, and hides only public routes from the document', () => {
    for (const op of operations.filter((o) => o.hidden))
      expect([op.method, op.path, EXPECTED[`${op.method} ${op.path}`]]).toEqual([op.method, op.path, PUBLIC]);
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const op of operations.filter((o) => !o.hidden)) {
      const expected = EXPECTED[`${op.method} ${op.path}`];
      if (expected === PUBLIC) expect(op.allowedKeys).toBeUndefined();
      // x-allowed-keys also lists callers that pass only with more proof (X-Client-Secret)
      else for (const principal of expected) expect(op.allowedKeys).toContain(principal);
    }
  });

  it('lets in exactly the expected callers on every route (401 without a key, 403 for the wrong kind)', async () => {
    const failures: string[] = [];
    const principals: Principal[] = [...keys.keys(), 'none'];
    for (const op of operations) {
      const expected = EXPECTED[`${op.method} ${op.path}`];
      const url = op.path.replace('{accountId}', account).replace(/\{[^}]+\}/g, () => randomUUID());
      for (const principal of principals) {
        let req = request(t.url)[op.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](url);
        const key = keys.get(principal);
        if (key) req = req.set('X-API-Key', key);
        if (op.method !== 'GET' && op.method !== 'DELETE') req = req.send({});
        const res = await req;
        const actsAs = ACTS_AS[principal] ?? principal;
        const allowed = expected === PUBLIC || expected.includes(actsAs);
        const want = allowed ? 'allowed' : principal === 'none' ? 401 : 403;
        const got = res.status === 401 || res.status === 403 ? res.status : 'allowed';
        if (want !== got) failures.push(`${op.method} ${op.path} as ${principal}: expected ${want}, got ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
