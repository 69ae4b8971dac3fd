import type { Client } from 'pg';
import { insertApiKey, startAppProcess, type AppProcess } from './lib/app-process';
import { ensureDataset, type Dataset } from './lib/dataset';
import { int, sized } from './lib/options';
import { withClient } from './lib/pg';
import { log, note, printTable } from './lib/report';
import { startSandboxProcess } from './lib/sandbox-process';
import { fmt, round, summarize, type Summary } from './lib/stats';
import type { Benchmark } from './run';

// The back office's payment search on 1M payments: each common filter as SQL (newest first, keyset
// cursor: ORDER BY created_at DESC, id DESC LIMIT 20, next page WHERE (created_at, id) < cursor),
// first page and the page after, with parameters drawn from the data; then the same through
// GET /v1/admin/payments when the endpoint exists (its query names are read from /docs-json).

const PAGE = 20;
const ORDER = `ORDER BY created_at DESC, id DESC LIMIT ${PAGE}`;

interface Sample {
  where: string;
  params: unknown[];
  // the same filter as GET /v1/admin/payments query parameters (logical names, mapped later)
  http: Record<string, string>;
}

interface Filter {
  name: string;
  sample(): Sample;
}

interface Pools {
  accounts: string[];
  references: string[];
  oldest: number;
  newest: number;
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];
const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

function filters(p: Pools): Filter[] {
  const randomDay = () => p.oldest + Math.random() * (p.newest - p.oldest - DAY);
  const statuses = [
    'charged',
    'failed',
    'refunded',
    'partially_refunded',
    'cancelled',
    'authorized',
    'unknown',
    'pending',
  ];
  return [
    {
      name: 'status',
      sample: () => ((s) => ({ where: 'status = $1', params: [s], http: { status: s } }))(pick(statuses)),
    },
    {
      name: 'date range (1 day)',
      sample: () =>
        ((a) => ({
          where: 'created_at >= $1 AND created_at < $2',
          params: [iso(a), iso(a + DAY)],
          http: { from: iso(a), to: iso(a + DAY) },
        }))(randomDay()),
    },
    {
      name: 'date range (30 days)',
      sample: () =>
        ((a) => ({
          where: 'created_at >= $1 AND created_at < $2',
          params: [iso(a), iso(a + 30 * DAY)],
          http: { from: iso(a), to: iso(a + 30 * DAY) },
        }))(p.oldest + Math.random() * (p.newest - p.oldest - 30 * DAY)),
    },
    {
      name: 'accountId',
      sample: () => ((a) => ({ where: 'account_id = $1', params: [a], http: { accountId: a } }))(pick(p.accounts)),
    },
    {
      name: 'reference',
      sample: () => ((r) => ({ where: 'reference = $1', params: [r], http: { reference: r } }))(pick(p.references)),
    },
    {
      name: 'last4',
      sample: () =>
        ((l) => ({ where: 'card_last4 = $1', params: [l], http: { last4: l } }))(
          String(Math.floor(Math.random() * 10000)).padStart(4, '0'),
        ),
    },
    {
      // a price band: [x, 1.1x] somewhere in 1..100,000 KZT
      name: 'amount range (narrow)',
      sample: () =>
        ((lo) => ({
          where: 'amount >= $1 AND amount <= $2',
          params: [lo, Math.round(lo * 1.1)],
          http: { amountMin: String(lo), amountMax: String(Math.round(lo * 1.1)) },
        }))(Math.round(100 * 10 ** (Math.random() * 5))),
    },
    {
      name: 'amount range (wide)',
      sample: () =>
        ((lo) => ({
          where: 'amount >= $1 AND amount <= $2',
          params: [lo, lo * 10],
          http: { amountMin: String(lo), amountMax: String(lo * 10) },
        }))(Math.round(100 * 10 ** (Math.random() * 4))),
    },
    {
      name: 'needs_attention',
      sample: () => ({ where: 'needs_attention', params: [], http: { needsAttention: 'true' } }),
    },
    {
      name: 'status + 30 days',
      sample: () =>
        ((s, a) => ({
          where: 'status = $1 AND created_at >= $2 AND created_at < $3',
          params: [s, iso(a), iso(a + 30 * DAY)],
          http: { status: s, from: iso(a), to: iso(a + 30 * DAY) },
        }))(pick(statuses), p.oldest + Math.random() * (p.newest - p.oldest - 30 * DAY)),
    },
    {
      name: 'accountId + status',
      sample: () =>
        ((a) => ({
          where: 'account_id = $1 AND status = $2',
          params: [a, 'charged'],
          http: { accountId: a, status: 'charged' },
        }))(pick(p.accounts)),
    },
  ];
}

async function pools(c: Client): Promise<Pools> {
  // accounts as they occur in payments: busy customers are searched more often, like in the data
  const accounts = (
    await c.query<{ a: string }>(
      `SELECT account_id AS a FROM payments TABLESAMPLE SYSTEM (1) WHERE account_id IS NOT NULL LIMIT 2000`,
    )
  ).rows.map((r) => r.a);
  const references = (
    await c.query<{ r: string }>(
      `SELECT reference AS r FROM payments TABLESAMPLE SYSTEM (1) WHERE reference IS NOT NULL LIMIT 2000`,
    )
  ).rows.map((r) => r.r);
  const range = (
    await c.query<{ lo: Date; hi: Date }>(`SELECT min(created_at) AS lo, max(created_at) AS hi FROM payments`)
  ).rows[0];
  return { accounts, references, oldest: range.lo.getTime(), newest: range.hi.getTime() };
}

interface FilterResult {
  filter: string;
  firstPage: Summary;
  nextPage: Summary;
  avgRows: number;
  plan: string;
  http?: { firstPage: Summary; nextPage: Summary } | { skipped: string };
}

async function timeSql(c: Client, filter: Filter, samples: number): Promise<FilterResult> {
  const first: number[] = [];
  const next: number[] = [];
  let rows = 0;
  for (let i = 0; i < samples; i++) {
    const s = filter.sample();
    let t = performance.now();
    const page = (
      await c.query<{ id: string; created_at: Date }>(`SELECT * FROM payments WHERE ${s.where} ${ORDER}`, s.params)
    ).rows;
    first.push(performance.now() - t);
    rows += page.length;
    const last = page[page.length - 1];
    if (!last) continue;
    const n = s.params.length;
    t = performance.now();
    await c.query(`SELECT * FROM payments WHERE ${s.where} AND (created_at, id) < ($${n + 1}, $${n + 2}) ${ORDER}`, [
      ...s.params,
      last.created_at,
      last.id,
    ]);
    next.push(performance.now() - t);
  }
  const s = filter.sample();
  const plan = (
    await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT * FROM payments WHERE ${s.where} ${ORDER}`, s.params)
  ).rows
    .map((r) => r['QUERY PLAN'])
    .filter((l) => /Scan|Sort/.test(l))
    .map((l) =>
      l
        .trim()
        .replace(/^->\s*/, '')
        .replace(/\s+\(cost.*$/, ''),
    )
    .join(' > ');
  return { filter: filter.name, firstPage: summarize(first), nextPage: summarize(next), avgRows: rows / samples, plan };
}

// Logical filter names → the endpoint's query parameter names, from its OpenAPI parameters.
const CANDIDATES: Record<string, string[]> = {
  status: ['status', 'statuses'],
  from: ['from', 'createdFrom', 'dateFrom', 'createdAfter', 'since', 'createdAtFrom'],
  to: ['to', 'createdTo', 'dateTo', 'createdBefore', 'until', 'createdAtTo'],
  accountId: ['accountId', 'account'],
  reference: ['reference', 'ref'],
  last4: ['cardLast4', 'last4'],
  amountMin: ['amountMin', 'minAmount', 'amountFrom'],
  amountMax: ['amountMax', 'maxAmount', 'amountTo'],
  needsAttention: ['needsAttention', 'attention'],
  cursor: ['cursor', 'after', 'pageToken'],
  limit: ['limit', 'pageSize'],
};

// The doc lists every parameter only when the build ran the swagger plugin (nest build); tsc builds
// miss the undecorated ones, so a name not in the doc is probed: the API rejects unknown query
// parameters (forbidNonWhitelisted), so a 200 means the name is accepted.
const PROBE_VALUES: Record<string, string> = {
  status: 'charged',
  from: '2020-01-01T00:00:00.000Z',
  to: '2100-01-01T00:00:00.000Z',
  accountId: 'acct-1',
  reference: '300000000001',
  last4: '1234',
  amountMin: '100',
  amountMax: '1000',
  needsAttention: 'true',
  limit: '1',
};

async function adminSearchParams(app: AppProcess, key: string): Promise<Record<string, string> | undefined> {
  const doc = (await (await fetch(`${app.url}/docs-json`)).json()) as {
    paths?: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
  };
  const op = doc.paths?.['/v1/admin/payments']?.get;
  if (!op) return undefined;
  const names = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  const map: Record<string, string> = {};
  for (const [logical, options] of Object.entries(CANDIDATES)) {
    const found =
      options.find((o) => names.includes(o)) ?? names.find((n) => n.toLowerCase() === logical.toLowerCase());
    if (found) {
      map[logical] = found;
      continue;
    }
    const value = PROBE_VALUES[logical];
    if (!value) continue;
    for (const candidate of options) {
      const res = await fetch(`${app.url}/v1/admin/payments?${new URLSearchParams({ [candidate]: value })}`, {
        headers: { 'x-api-key': key },
      });
      await res.arrayBuffer();
      if (res.status === 200) {
        map[logical] = candidate;
        break;
      }
    }
  }
  return map;
}

function nextCursor(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const candidates = [
    b.nextCursor,
    b.cursor,
    b.next,
    (b.page as Record<string, unknown> | undefined)?.nextCursor,
    (b.meta as Record<string, unknown> | undefined)?.nextCursor,
  ];
  return candidates.find((c): c is string => typeof c === 'string' && c.length > 0);
}

async function timeHttp(
  app: AppProcess,
  key: string,
  params: Record<string, string>,
  filter: Filter,
  samples: number,
): Promise<FilterResult['http']> {
  const probe = filter.sample();
  const missing = Object.keys(probe.http).filter((k) => !params[k]);
  if (missing.length) return { skipped: `no query parameter for ${missing.join(', ')}` };
  const first: number[] = [];
  const next: number[] = [];
  for (let i = 0; i < samples; i++) {
    const s = filter.sample();
    const qs = new URLSearchParams(Object.entries(s.http).map(([k, v]): [string, string] => [params[k], v]));
    if (params.limit) qs.set(params.limit, String(PAGE));
    let t = performance.now();
    const res = await fetch(`${app.url}/v1/admin/payments?${qs}`, { headers: { 'x-api-key': key } });
    const body: unknown = await res.json();
    first.push(performance.now() - t);
    if (res.status !== 200) return { skipped: `HTTP ${res.status}: ${JSON.stringify(body).slice(0, 200)}` };
    const cursor = nextCursor(body);
    if (!cursor || !params.cursor) continue;
    qs.set(params.cursor, cursor);
    t = performance.now();
    const res2 = await fetch(`${app.url}/v1/admin/payments?${qs}`, { headers: { 'x-api-key': key } });
    await res2.arrayBuffer();
    next.push(performance.now() - t);
  }
  return { firstPage: summarize(first), nextPage: summarize(next) };
}

export const adminPaymentsSearchBenchmark: Benchmark = {
  name: 'admin-search',
  description:
    'admin payment search: p50/p99 of the common filters on 1M payments (SQL, and HTTP when the endpoint exists)',
  async run() {
    const rows = int('rows', sized(1_000_000, 100_000));
    const inFlight = int('in-flight', sized(10_000, 2_000));
    const samples = int('search-samples', sized(200, 30));
    const ds: Dataset = await ensureDataset(rows, inFlight);
    const results = await withClient(ds.url, async (c) => {
      const p = await pools(c);
      const out: FilterResult[] = [];
      for (const f of filters(p)) {
        // a few untimed queries first: the same warm cache for every filter
        await timeSql(c, f, 3);
        const r = await timeSql(c, f, samples);
        out.push(r);
        log(`admin-search SQL ${f.name}: p50 ${fmt(r.firstPage.p50)} ms, p99 ${fmt(r.firstPage.p99)} ms; ${r.plan}`);
      }
      return { pools: p, out };
    });

    // the endpoint, when it is there
    let httpNote: string;
    const sandbox = await startSandboxProcess({ latencyMs: 0 });
    let app: AppProcess | undefined;
    try {
      const key = await insertApiKey(ds.url, 'admin');
      app = await startAppProcess({ databaseUrl: ds.url, sandboxUrl: sandbox.url, name: 'app' });
      const params = await adminSearchParams(app, key);
      if (!params) httpNote = 'GET /v1/admin/payments is not in /docs-json yet: HTTP figures skipped';
      else {
        httpNote = `GET /v1/admin/payments query names: ${JSON.stringify(params)}`;
        for (const [i, f] of filters(results.pools).entries()) {
          results.out[i].http = await timeHttp(app, key, params, f, Math.max(3, Math.round(samples / 2)));
        }
      }
    } finally {
      await app?.stop();
      await sandbox.stop();
    }

    const httpCell = (r: FilterResult, k: 'firstPage' | 'nextPage', p: 'p50' | 'p99') =>
      !r.http ? '-' : 'skipped' in r.http ? 'skip' : fmt(r.http[k][p]);
    printTable(
      `Admin search on ${fmt(rows, 0)} payments (ms, ${samples} samples per filter; page ${PAGE}, newest first, keyset cursor)`,
      [
        'filter',
        'SQL p50',
        'SQL p99',
        'next p50',
        'next p99',
        'rows',
        'HTTP p50',
        'HTTP p99',
        'HTTP next p99',
        'plan (first page)',
      ],
      results.out.map((r) => [
        r.filter,
        fmt(r.firstPage.p50),
        fmt(r.firstPage.p99),
        fmt(r.nextPage.p50),
        fmt(r.nextPage.p99),
        fmt(r.avgRows, 1),
        httpCell(r, 'firstPage', 'p50'),
        httpCell(r, 'firstPage', 'p99'),
        httpCell(r, 'nextPage', 'p99'),
        r.plan,
      ]),
    );
    note(httpNote);
    for (const r of results.out) if (r.http && 'skipped' in r.http) note(`HTTP ${r.filter}: ${r.http.skipped}`);
    const slow = results.out.filter((r) => r.firstPage.p99 > 50 || r.nextPage.p99 > 50);
    if (slow.length) note(`p99 over 50 ms: ${slow.map((r) => r.filter).join(', ')} (see the plan column)`);
    return {
      config: { rows, inFlight, samples, page: PAGE },
      filters: results.out.map((r) => ({
        ...r,
        firstPage: roundSummary(r.firstPage),
        nextPage: roundSummary(r.nextPage),
      })),
      http: httpNote,
    };
  },
};

function roundSummary(s: Summary): Summary {
  return {
    n: s.n,
    mean: round(s.mean),
    min: round(s.min),
    p50: round(s.p50),
    p90: round(s.p90),
    p99: round(s.p99),
    max: round(s.max),
  };
}
