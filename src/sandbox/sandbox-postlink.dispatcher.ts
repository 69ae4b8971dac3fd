import { epayDate } from './sandbox-format.util';
import { toDecimal } from './sandbox-money.util';
import type { SandboxStateStore } from './sandbox-state.store';
import type { PaymentTransaction, PostLinkDelivery, TransferTransaction } from './sandbox.types';

type Outcome = 'success' | 'failure';
type Txn = PaymentTransaction | TransferTransaction;

interface Job {
  txn: Txn;
  outcome: Outcome;
  url: string;
  body: Record<string, unknown>;
}

const SUCCESS_STATUSES = new Set(['AUTH', 'CHARGE', 'REFUND', 'CANCEL', 'CANCEL_OLD']);

// Fire-and-forget callbacks to the merchant, recorded attempt by attempt in the store.
// Never awaited by a route handler: the payment reply must not wait for the merchant.
export class PostLinkDispatcher {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();
  private readonly onCancel = new Set<() => void>();
  private seq = 0;
  private closed = false;
  private epoch = 0; // bumped by cancelPending(): older jobs stop and record nothing

  constructor(
    private readonly store: SandboxStateStore,
    private readonly log: (line: string) => void,
  ) {}

  // Called once a payment or transfer reaches an outcome.
  dispatch(txn: Txn): void {
    const job = this.jobFor(txn);
    if (!job || this.closed) return;
    const { delayMs } = this.store.settings.postLink;
    const epoch = this.epoch;
    const run = new Promise<void>((resolve) => {
      // settles when sent, or at once if cancelPending() clears the timer first (flush() must not hang)
      const settle = () => {
        this.onCancel.delete(settle);
        resolve();
      };
      this.onCancel.add(settle);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.sendAll(job, epoch).finally(settle);
      }, delayMs);
      this.timers.add(timer);
    });
    void this.track(run);
  }

  // Sends the callback for the latest attempt on the invoice again, now (no delay, no drops).
  async resend(invoiceId: string): Promise<PostLinkDelivery[]> {
    const txn = this.store.latestPayment(invoiceId) ?? this.store.latestTransfer(invoiceId);
    const job = txn && this.jobFor(txn);
    if (!job) throw new Error(`no postLink outcome to resend for invoice ${invoiceId}`);
    return [await this.track(this.attempt(job, 1, 'resend', false))];
  }

  // Re-delivers every callback the invoice ever produced, newest first (e.g. the success before an older failure).
  async deliverOutOfOrder(invoiceId: string): Promise<PostLinkDelivery[]> {
    const originals = this.store.deliveries.filter(
      (d) => d.invoiceId === invoiceId && d.reason === 'outcome' && d.attempt === 1,
    );
    if (originals.length === 0) throw new Error(`no postLink was produced for invoice ${invoiceId}`);
    const out: PostLinkDelivery[] = [];
    for (const d of [...originals].reverse()) {
      const job: Job = { txn: this.txnById(d), outcome: d.outcome, url: d.url, body: d.body };
      out.push(await this.track(this.attempt(job, 1, 'out-of-order', false)));
    }
    return out;
  }

  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  // control.reset(): forget scheduled and in-flight callbacks so they cannot leak into the next test.
  cancelPending(): void {
    this.epoch++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const a of this.aborts) a.abort();
    for (const settle of [...this.onCancel]) settle();
  }

  close(): void {
    this.closed = true;
    this.cancelPending();
  }

  private txnById(d: PostLinkDelivery): Txn {
    return (this.store.payments.get(d.transactionId) ?? this.store.transfers.get(d.transactionId))!;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  private jobFor(txn: Txn): Job | undefined {
    if (txn.statusName === 'NEW') return undefined;
    const outcome: Outcome = SUCCESS_STATUSES.has(txn.statusName) ? 'success' : 'failure';
    // failurePostLink falls back to postLink (S1)
    const url = outcome === 'success' ? txn.postLink : txn.failurePostLink || txn.postLink;
    if (!url) return undefined;
    const body = txn.kind === 'payment' ? paymentBody(txn, outcome) : transferBody(txn, outcome);
    // seed 001's bodies carry no secret_hash; by default the sandbox echoes it (GUESS: key name)
    if (txn.secretHash && !this.store.config.quirks.postLinkWithoutSecretHash) body.secret_hash = txn.secretHash;
    return { txn, outcome, url, body };
  }

  private async sendAll(job: Job, epoch: number): Promise<void> {
    const { duplicates, dropRate } = this.store.settings.postLink;
    for (let attempt = 1; attempt <= 1 + Math.max(0, duplicates) && epoch === this.epoch; attempt++) {
      await this.attempt(job, attempt, 'outcome', Math.random() < dropRate, epoch);
    }
  }

  private async attempt(
    job: Job,
    attempt: number,
    reason: PostLinkDelivery['reason'],
    drop: boolean,
    epoch = this.epoch,
  ): Promise<PostLinkDelivery> {
    const record: PostLinkDelivery = {
      seq: ++this.seq,
      invoiceId: job.txn.kind === 'payment' ? job.txn.invoiceId : job.txn.orderId,
      transactionId: job.txn.id,
      kind: job.txn.kind,
      outcome: job.outcome,
      url: job.url,
      body: job.body,
      attempt,
      dropped: drop,
      at: new Date().toISOString(),
      reason,
    };
    const current = () => epoch === this.epoch;
    if (current()) this.store.deliveries.push(record);
    if (drop) {
      this.log(`postLink #${record.seq} ${record.invoiceId} dropped (dropRate)`);
      return record;
    }
    const started = Date.now();
    const abort = new AbortController();
    this.aborts.add(abort);
    const timer = setTimeout(() => abort.abort(new Error('timeout')), this.store.settings.postLink.timeoutMs);
    try {
      const res = await fetch(job.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(job.body),
        signal: abort.signal,
      });
      record.status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      record.error = abort.signal.aborted ? (this.closed ? 'aborted: sandbox closed' : 'timeout') : errorText(err);
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
      record.durationMs = Date.now() - started;
    }
    if (current())
      this.log(`postLink #${record.seq} ${record.invoiceId} ${job.outcome} -> ${record.status ?? record.error}`);
    return record;
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}

// Seed S1 shapes. secret_hash (GUESS: key name, echoed verbatim) and data are added only when set.
function paymentBody(t: PaymentTransaction, outcome: Outcome): Record<string, unknown> {
  const common = {
    accountId: t.accountId,
    amount: toDecimal(t.amountMinor),
  };
  const tail = {
    ip: t.ip,
    ipCity: '',
    ipCountry: '',
    ipDistrict: '',
    ipLatitude: 0,
    ipLongitude: 0,
    ipRegion: '',
    issuer: t.issuer,
    language: t.language,
    name: t.name,
    phone: t.phone,
  };
  const body: Record<string, unknown> =
    outcome === 'success'
      ? {
          ...common,
          approvalCode: t.approvalCode,
          cardId: t.cardId,
          cardMask: t.cardMask,
          cardType: t.cardType,
          code: 'ok',
          currency: t.currency,
          dateTime: epayDate(),
          description: t.description,
          email: t.email,
          id: t.id,
          invoiceId: t.invoiceId,
          ...tail,
          reason: 'success',
          reasonCode: 0,
          reference: t.reference,
          secure: t.secure ? 'yes' : 'no',
          secureDetails: t.secure ? 'Y' : 'F',
          terminal: t.terminal,
        }
      : {
          id: t.id,
          dateTime: epayDate(),
          invoiceId: t.invoiceId,
          invoiceIdAlt: t.invoiceIdAlt,
          ...common,
          currency: t.currency,
          terminal: t.terminal,
          description: t.description,
          language: t.language,
          cardMask: t.cardMask,
          cardType: t.cardType,
          issuer: t.issuer,
          reference: t.reference,
          secure: t.secure ? 'yes' : 'no',
          secureDetails: t.secure ? 'Y' : 'F',
          tokenRecipient: '',
          code: 'error',
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
        };
  if (t.data) body.data = t.data;
  return body;
}

// GUESS: the P2P callback body is undocumented; the sandbox reuses the payment shape keyed by order id.
function transferBody(t: TransferTransaction, outcome: Outcome): Record<string, unknown> {
  const body: Record<string, unknown> = {
    accountId: t.accountId,
    amount: toDecimal(t.amountMinor),
    approvalCode: outcome === 'success' ? t.approvalCode : '',
    cardMask: t.senderCardMask,
    cardType: t.senderCardType,
    code: outcome === 'success' ? 'ok' : 'error',
    currency: t.currency,
    dateTime: epayDate(),
    description: t.description,
    email: t.email,
    id: t.id,
    invoiceId: t.orderId,
    reason: outcome === 'success' ? 'success' : t.reason,
    reasonCode: outcome === 'success' ? 0 : t.reasonCode,
    reference: t.reference,
    secure: 'no',
    terminal: t.terminal,
  };
  return body;
}
