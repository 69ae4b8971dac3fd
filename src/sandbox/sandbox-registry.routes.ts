import { Router } from 'express';
import { field, obj, str, type Json } from './sandbox-body.util';
import { requireToken, sendOpError } from './sandbox-http.util';
import { toDecimal } from './sandbox-money.util';
import type { SandboxContext } from './sandbox.context';
import type { PaymentTransaction } from './sandbox.types';

// POST /operations (registry, D:operacii) and the legacy GET /operation/:invoiceId (D:status-tranzakcii).

type Getter = (t: PaymentTransaction) => string | number;

const FIELDS: Readonly<Record<string, Getter>> = {
  created_date: (t) => t.createdAt,
  invoice_id: (t) => t.invoiceId,
  account_id: (t) => t.accountId,
  payer_phone: (t) => t.phone,
  payer_email: (t) => t.email,
  reference: (t) => t.reference,
  amount: (t) => toDecimal(t.amountMinor),
  card_mask: (t) => t.cardMask,
  post_link: (t) => String(Boolean(t.postLink)),
  shop_id: (t) => t.terminal,
  status: (t) => t.statusName,
};

function asComparable(name: string, v: unknown): string | number {
  if (name === 'created_date') return typeof v === 'number' ? v : Date.parse(String(v));
  if (name === 'amount') return Number(v);
  return String(v);
}

function matches(t: PaymentTransaction, p: Json): boolean {
  const name = str(p, 'name') ?? '';
  const get = FIELDS[name];
  if (!get) return true; // unknown filters are ignored
  const method = (str(p, 'method') ?? '=').toLowerCase();
  const raw = field(p, 'searchParameter');
  const args = (Array.isArray(raw) ? raw : [raw]).map((v) => asComparable(name, v));
  const value = get(t);
  const c = (i: number) => compare(value, args[i]);
  switch (method) {
    case 'between':
      return c(0) >= 0 && c(1) <= 0;
    case 'in':
      return args.some((_, i) => c(i) === 0);
    case 'like': {
      const re = new RegExp(`^${String(args[0]).split('%').map(escapeRe).join('.*')}$`, 'i');
      return re.test(String(value));
    }
    case '<':
      return c(0) < 0;
    case '>':
      return c(0) > 0;
    case '<=':
      return c(0) <= 0;
    case '>=':
      return c(0) >= 0;
    default:
      return c(0) === 0;
  }
}

function compare(a: string | number, b: string | number | undefined): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b ?? ''));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function record(t: PaymentTransaction): Json {
  const charged = t.statusName === 'CHARGE' || t.statusName === 'REFUND';
  return {
    id: t.id,
    invoiceId: t.invoiceId,
    reference: t.reference,
    amount: toDecimal(t.amountMinor),
    orgAmount: toDecimal(t.orgAmountMinor),
    currency: t.currency,
    createdDate: t.createdDate,
    payoutDate: null,
    payoutAmount: charged ? toDecimal(t.amountMinor) : 0,
    status: t.statusName,
    cardMask: t.cardMask,
    cardType: t.cardType,
    issuer: t.issuer,
    approvalCode: t.approvalCode,
    payerName: t.name,
    payerPhone: t.phone,
    payerEmail: t.email,
    accountId: t.accountId,
    terminal: t.terminal,
    description: t.description,
    reason: t.reason,
    reasonCode: t.reasonCode,
    secure: t.secure,
  };
}

export function registryRoutes(ctx: SandboxContext): Router {
  const r = Router();

  r.post('/operations', (req, res) => {
    if (!requireToken(ctx.store, req, res)) return;
    const body = req.body as Json;
    const search = (Array.isArray(body.searchParameters) ? body.searchParameters : []) as Json[];
    if (!search.some((p) => str(p, 'name') === 'created_date')) {
      return sendOpError(res, 100, 'searchParameters must include created_date');
    }
    const paging = obj(body, 'paging') ?? {};
    const skip = Math.max(0, Number(str(paging, 'page') ?? 0) || 0);
    const size = Math.max(1, Number(str(paging, 'size') ?? 20) || 20);
    const order = ((Array.isArray(body.orderParameters) ? body.orderParameters : []) as Json[])[0];
    const desc = (str(order, 'typeOrder') ?? 'DESC').toUpperCase() !== 'ASC';
    const rows = [...ctx.store.payments.values()]
      .filter((t) => search.every((p) => matches(t, p)))
      .sort((a, b) => (desc ? b.createdAt - a.createdAt : a.createdAt - b.createdAt));
    res.status(200).json({ totalCount: rows.length, records: rows.slice(skip, skip + size).map(record) });
  });

  r.get('/operation/:invoiceId', (req, res) => {
    if (!requireToken(ctx.store, req, res)) return;
    const t = ctx.store.latestPayment(String(req.params.invoiceId));
    if (!t) return sendOpError(res, 100, '');
    res.status(200).json({
      id: t.id,
      dateTime: t.createdDate,
      invoiceId: t.invoiceId,
      amount: toDecimal(t.amountMinor),
      currency: t.currency,
      terminal: t.terminal,
      accountId: t.accountId,
      description: t.description,
      language: t.language,
      cardMask: t.cardMask,
      cardType: t.cardType,
      issuer: t.issuer,
      reference: t.reference,
      secure: String(t.secure), // "false": a string here (legacy)
      code: t.statusName,
      reason: t.reason,
      reasonCode: t.reasonCode,
      name: t.name,
      email: t.email,
      phone: t.phone,
      ip: t.ip,
      ipCountry: '',
      ipCity: '',
      ipRegion: '',
      ipDistrict: '',
      ipLongitude: 0,
      ipLatitude: 0,
      cardId: t.cardId,
    });
  });

  return r;
}
