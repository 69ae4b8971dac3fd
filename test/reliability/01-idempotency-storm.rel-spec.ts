import { randomUUID } from 'node:crypto';
import { CARDS, paymentBody, uniqueAccount } from '../setup/fixtures';
import { recordFigure } from './helpers/figures';
import { query, startRelApp, type RelApp } from './helpers/rel-app';

// Many clients retrying the same payment at once: 200 concurrent requests over 20 Idempotency-Keys
// (10 copies of each request, all in flight together, the bank slowed to 40 ms) must make exactly 20
// payments and 20 bank calls; every copy gets the one payment of its key.
const KEYS = Number(process.env.REL_STORM_KEYS ?? 20);
const COPIES = Number(process.env.REL_STORM_COPIES ?? 10);

describe('reliability: idempotency storm', () => {
  let t: RelApp;
  beforeAll(async () => {
    t = await startRelApp('storm', { sandboxOptions: { latencyMs: 40 } });
  });
  afterAll(async () => {
    await t?.finish();
  });

  it(`${KEYS * COPIES} concurrent requests over ${KEYS} keys make ${KEYS} payments and ${KEYS} bank calls`, async () => {
    const cryptopayBefore = t.sandbox.control.requestCount('cryptopay');
    const requests = Array.from({ length: KEYS }, (_, k) => ({
      key: `storm-${k}-${randomUUID()}`,
      body: paymentBody({ amount: 10_000 + k, accountId: uniqueAccount('storm'), card: CARDS.approveAny }),
    }));
    // all copies interleaved, then released together
    const wave = requests.flatMap((r) => Array.from({ length: COPIES }, () => r)).sort(() => Math.random() - 0.5);
    const started = performance.now();
    const answers = await Promise.all(
      wave.map(async (r) => {
        const res = await fetch(`${t.url}/v1/payments/card`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': t.clientKey, 'idempotency-key': r.key },
          body: JSON.stringify(r.body),
        });
        const body = (await res.json()) as { id?: string; status?: string };
        return {
          key: r.key,
          status: res.status,
          replayed: res.headers.get('idempotent-replayed') === 'true',
          id: body.id,
          paymentStatus: body.status,
        };
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const byStatus = answers.reduce<Record<number, number>>(
      (m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }),
      {},
    );
    const idsPerKey = new Map<string, Set<string | undefined>>();
    for (const a of answers) idsPerKey.set(a.key, (idsPerKey.get(a.key) ?? new Set()).add(a.id));
    const distinctIds = new Set(answers.map((a) => a.id).filter(Boolean));
    const [{ n: payments }] = await query<{ n: number }>(t.db.url, `SELECT count(*)::int AS n FROM payments`);
    const [{ n: exchanges }] = await query<{ n: number }>(
      t.db.url,
      `SELECT count(*)::int AS n FROM gateway_exchanges WHERE operation = 'cryptopay'`,
    );
    const bankCalls = t.sandbox.control.requestCount('cryptopay') - cryptopayBefore;
    const replays = answers.filter((a) => a.replayed).length;
    const keysWithOneId = [...idsPerKey.values()].filter((ids) => ids.size === 1 && !ids.has(undefined)).length;
    const ok =
      payments === KEYS &&
      bankCalls === KEYS &&
      exchanges === KEYS &&
      keysWithOneId === KEYS &&
      (byStatus[201] ?? 0) === wave.length;
    recordFigure(
      'idempotency storm',
      `idempotency storm: ${wave.length} concurrent requests over ${KEYS} keys -> ${payments} payments, ${bankCalls} bank calls, ${replays} replays, ` +
        `answers ${JSON.stringify(byStatus)} in ${seconds.toFixed(1)} s`,
      ok,
      { byStatus, payments, bankCalls, exchanges, replays, keysWithOneId, seconds },
    );

    expect(byStatus).toEqual({ 201: wave.length });
    expect(keysWithOneId).toBe(KEYS);
    expect(distinctIds.size).toBe(KEYS);
    expect(payments).toBe(KEYS);
    expect(bankCalls).toBe(KEYS);
    expect(exchanges).toBe(KEYS);
    expect(replays).toBe(wave.length - KEYS);
    expect(answers.every((a) => a.paymentStatus === 'charged')).toBe(true);
  });

  it('a key reused with a different request is refused, and still no extra payment', async () => {
    const key = `storm-reuse-${randomUUID()}`;
    const send = (amount: number) =>
      fetch(`${t.url}/v1/payments/card`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': t.clientKey, 'idempotency-key': key },
        body: JSON.stringify(paymentBody({ amount, accountId: 'storm-reuse', card: CARDS.approveAny })),
      });
    const [a, b] = await Promise.all([send(5000), send(6000)]);
    // whichever came first made the payment; the other is a different request with the same key
    expect([a.status, b.status].sort()).toEqual([201, 422]);
    const [{ n }] = await query<{ n: number }>(
      t.db.url,
      `SELECT count(*)::int AS n FROM payments WHERE account_id = 'storm-reuse'`,
    );
    expect(n).toBe(1);
  });
});
