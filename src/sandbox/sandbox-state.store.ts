import { createHmac, randomBytes } from 'node:crypto';
import { toDecimal } from './sandbox-money.util';
import { ROUTE_NAMES } from './sandbox-routes.constant';
import type {
  ActiveFault,
  CaptureMode,
  FaultSpec,
  PaymentTransaction,
  PaymentView,
  PostLinkDelivery,
  PostLinkOptions,
  SavedCard,
  SeedQuirks,
  TokenRecord,
  TransferTransaction,
  TransferView,
} from './sandbox.types';

export interface RuntimeSettings {
  captureMode: CaptureMode;
  latencyMs: number;
  postLink: Required<PostLinkOptions>;
  pendingStatusChecks: number;
  dedupeExternalId: boolean;
}

export interface StoreConfig {
  clientId: string;
  clientSecret: string;
  terminalId: string;
  tokenTtlSeconds: number;
  expiresInAsString: boolean;
  initial: RuntimeSettings;
  quirks: Required<SeedQuirks>;
}

// Everything the fake bank knows, in memory. Card numbers never get here: only masks and an HMAC "CardHash".
export class SandboxStateStore {
  settings: RuntimeSettings;
  readonly tokens = new Map<string, TokenRecord>();
  readonly payments = new Map<string, PaymentTransaction>();
  readonly transfers = new Map<string, TransferTransaction>();
  readonly cards = new Map<string, SavedCard>();
  readonly deliveries: PostLinkDelivery[] = [];
  readonly faults: ActiveFault[] = [];
  readonly requestCounts = new Map<string, number>();
  readonly statusOverrides = new Map<string, string>();
  readonly refundResults = new Map<string, Record<string, unknown>>(); // `${txnId}:${externalID}`
  private readonly paymentsByInvoice = new Map<string, string[]>();
  private readonly transfersByOrder = new Map<string, string[]>();
  private readonly hashKey = randomBytes(32);
  private faultSeq = 0;

  constructor(readonly config: StoreConfig) {
    this.settings = cloneSettings(config.initial);
  }

  reset(): void {
    this.settings = cloneSettings(this.config.initial);
    for (const m of [
      this.tokens,
      this.payments,
      this.transfers,
      this.cards,
      this.requestCounts,
      this.statusOverrides,
    ]) {
      m.clear();
    }
    this.refundResults.clear();
    this.paymentsByInvoice.clear();
    this.transfersByOrder.clear();
    this.deliveries.length = 0;
    this.faults.length = 0;
  }

  // --- tokens
  addToken(t: TokenRecord): void {
    this.tokens.set(t.accessToken, t);
  }

  validToken(accessToken: string | undefined): TokenRecord | undefined {
    if (!accessToken) return undefined;
    const t = this.tokens.get(accessToken);
    return t && t.expiresAt > Date.now() ? t : undefined;
  }

  // --- payments
  addPayment(p: PaymentTransaction): void {
    this.payments.set(p.id, p);
    const list = this.paymentsByInvoice.get(p.invoiceId) ?? [];
    list.push(p.id);
    this.paymentsByInvoice.set(p.invoiceId, list);
  }

  paymentsFor(invoiceId: string): PaymentTransaction[] {
    return (this.paymentsByInvoice.get(invoiceId) ?? []).map((id) => this.payments.get(id)!);
  }

  latestPayment(invoiceId: string): PaymentTransaction | undefined {
    return this.paymentsFor(invoiceId).at(-1);
  }

  knownInvoiceIds(): string[] {
    return [...this.paymentsByInvoice.keys()];
  }

  paymentByMd(md: string): PaymentTransaction | undefined {
    for (const p of this.payments.values()) if (p.threeDs?.md === md) return p;
    return undefined;
  }

  // --- transfers (P2P has its own order-id namespace)
  addTransfer(t: TransferTransaction): void {
    this.transfers.set(t.id, t);
    const list = this.transfersByOrder.get(t.orderId) ?? [];
    list.push(t.id);
    this.transfersByOrder.set(t.orderId, list);
  }

  transfersFor(orderId: string): TransferTransaction[] {
    return (this.transfersByOrder.get(orderId) ?? []).map((id) => this.transfers.get(id)!);
  }

  latestTransfer(orderId: string): TransferTransaction | undefined {
    return this.transfersFor(orderId).at(-1);
  }

  // --- cards
  cardHash(pan: string): string {
    return createHmac('sha256', this.hashKey).update(pan).digest('hex').slice(0, 32).toUpperCase();
  }

  // Saving the same card twice for one account returns the existing card.
  saveCard(card: SavedCard): SavedCard {
    for (const c of this.cards.values()) {
      if (c.active && c.accountId === card.accountId && c.cardHash === card.cardHash) return c;
    }
    this.cards.set(card.id, card);
    return card;
  }

  // --- traffic
  countRequest(route: string): void {
    this.requestCounts.set(route, (this.requestCounts.get(route) ?? 0) + 1);
  }

  requestCount(route?: string): number {
    if (route === undefined) return [...this.requestCounts.values()].reduce((a, b) => a + b, 0);
    return this.requestCounts.get(route) ?? 0;
  }

  addFault(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = {
      id: ++this.faultSeq,
      path: spec.path,
      type: spec.type,
      times: spec.times ?? 1,
      delayMs: spec.delayMs ?? 0,
      hits: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  // Consumes one use of the first fault matching this request.
  takeFault(route: string, path: string): ActiveFault | undefined {
    const isRouteName = (p: string) => (ROUTE_NAMES as readonly string[]).includes(p);
    const idx = this.faults.findIndex((f) => (isRouteName(f.path) ? f.path === route : path.includes(f.path)));
    if (idx < 0) return undefined;
    const fault = this.faults[idx];
    fault.hits++;
    if (fault.times > 0 && fault.hits >= fault.times) this.faults.splice(idx, 1);
    return { ...fault };
  }

  // --- views with decimal amounts
  paymentView(p: PaymentTransaction): PaymentView {
    return {
      ...structuredClone(p),
      amount: toDecimal(p.amountMinor),
      orgAmount: toDecimal(p.orgAmountMinor),
      refunds: p.refunds.map((r) => ({ ...r, amount: toDecimal(r.amountMinor) })),
    };
  }

  transferView(t: TransferTransaction): TransferView {
    return { ...structuredClone(t), amount: toDecimal(t.amountMinor) };
  }
}

function cloneSettings(s: RuntimeSettings): RuntimeSettings {
  return { ...s, postLink: { ...s.postLink } };
}
