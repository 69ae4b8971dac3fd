import { ApiClient, CheckoutError, FINAL_STATUSES, newIdempotencyKey, Payment } from './api';
import type { FieldName } from './card';
import { CardElement, mountCardFields } from './fields';
import { Language, TEXTS, Texts } from './i18n';

export { CheckoutError, FINAL_STATUSES } from './api';
export type { Payment } from './api';
export { brandOf, luhnValid, validateCard } from './card';
export type { CardElement } from './fields';

export interface CheckoutOptions {
  // where the payment API is, e.g. https://pay.example.kz
  apiUrl: string;
  // a publishable key (pk_…) or, for saved cards, a customer session (cs_…) — never a secret key
  key: string;
  language?: Language;
  // the bank's test cards carry past expiry dates (sandbox and test only)
  allowExpiredCards?: boolean;
  // how long to wait for a payment the bank is still deciding (ms)
  pollTimeoutMs?: number;
}

// What the company's page says about the order; the API's payment fields.
export interface Order {
  amount: number;
  currency?: string;
  description: string;
  accountId: string;
  email?: string;
  phone?: string;
  name?: string;
  invoiceId?: string;
  backLink?: string;
  failureBackLink?: string;
  metadata?: Record<string, unknown>;
}

export interface SavedCard {
  id: string;
  mask: string | null;
  type: string | null;
  [field: string]: unknown;
}

const STORAGE = 'epay-checkout:';

interface GooglePaymentsClient {
  isReadyToPay(request: unknown): Promise<{ result: boolean }>;
  createButton(options: { onClick: () => void; buttonLocale?: string }): HTMLElement;
  loadPaymentData(request: unknown): Promise<unknown>;
}
interface GoogleGlobal {
  payments: { api: { PaymentsClient: new (options: { environment: string }) => GooglePaymentsClient } };
}
interface HalykGlobal {
  showPaymentWidget(paymentObject: unknown, callback: (result: { success: boolean }) => void): void;
}

export class Checkout {
  private readonly api: ApiClient;
  private readonly texts: Texts;
  readonly language: Language;

  constructor(private readonly options: CheckoutOptions) {
    if (/^sk_/.test(options.key)) throw new Error('EpayCheckout: a secret key (sk_…) must never be used in a browser');
    this.api = new ApiClient(options.apiUrl.replace(/\/+$/, ''), options.key);
    this.language = options.language ?? 'rus';
    this.texts = TEXTS[this.language];
  }

  mountCard(target: string | HTMLElement): CardElement {
    return mountCardFields(resolve(target), this.texts, { allowExpired: this.options.allowExpiredCards });
  }

  // Pays with what the customer typed. Resolves with the payment once it is settled; when the bank
  // asks for 3-D Secure the page goes there and handleReturn() on the backLink page resolves it.
  async payWithCard(card: CardElement, order: Order & { saveCard?: boolean }): Promise<Payment> {
    const data = card.validate();
    if (!data) throw new CheckoutError(400, { code: 'VALIDATION_FAILED', message: 'card details are not valid' });
    try {
      const payment = await this.api.create<Payment>(
        '/v1/payments/card',
        { ...this.orderBody(order), card: data, ...(order.saveCard ? { saveCard: true } : {}) },
        newIdempotencyKey(),
      );
      return await this.follow(payment);
    } catch (err) {
      this.showApiError(card, err);
      throw err;
    }
  }

  // Customer sessions only: the cards saved for the session's account.
  listSavedCards(accountId: string): Promise<SavedCard[]> {
    return this.api.request<SavedCard[]>('GET', `/v1/accounts/${encodeURIComponent(accountId)}/cards`);
  }

  async payWithSavedCard(cardId: string, order: Order): Promise<Payment> {
    const payment = await this.api.create<Payment>(
      '/v1/payments/saved-card',
      { ...this.orderBody(order), cardId },
      newIdempotencyKey(),
    );
    return this.follow(payment);
  }

  // On the backLink / failureBackLink page: the payment this browser started, once settled (null
  // when this browser did not start one, e.g. the link was opened elsewhere).
  async handleReturn(url: string = window.location.href): Promise<Payment | null> {
    const params = new URL(url).searchParams;
    const id = params.get('paymentId') ?? sessionStorage.getItem(`${STORAGE}last`);
    if (!id) return null;
    const secret = sessionStorage.getItem(`${STORAGE}${id}`);
    if (!secret) return null;
    return this.waitForFinal(id, secret);
  }

  // Polls the payment (asking the bank on each read) until it is settled or pollTimeoutMs passes.
  async waitForFinal(id: string, clientSecret: string): Promise<Payment> {
    const deadline = Date.now() + (this.options.pollTimeoutMs ?? 60_000);
    let delay = 500;
    for (;;) {
      const payment = await this.api.request<Payment>(
        'GET',
        `/v1/payments/${encodeURIComponent(id)}?refresh=true`,
        undefined,
        { 'X-Client-Secret': clientSecret },
      );
      if (FINAL_STATUSES.has(payment.status) || Date.now() > deadline) return payment;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 4000);
    }
  }

  // Shows Google's button when Google Pay can be used here (Google's pay.js, loaded unless the page
  // has it). onResult gets the settled payment; false when Google Pay is not available.
  async mountGooglePay(
    target: string | HTMLElement,
    order: Order,
    handlers: { onResult: (payment: Payment) => void; onError?: (error: unknown) => void },
  ): Promise<boolean> {
    const config = await this.api.request<Record<string, unknown> & { environment: string }>(
      'GET',
      '/v1/wallets/google-pay/config',
    );
    const google = await loadGlobal<GoogleGlobal>('google', 'https://pay.google.com/gp/p/js/pay.js').catch(() => null);
    if (!google) return false;
    const client = new google.payments.api.PaymentsClient({ environment: config.environment });
    const base = {
      apiVersion: config.apiVersion,
      apiVersionMinor: config.apiVersionMinor,
      allowedPaymentMethods: config.allowedPaymentMethods,
    };
    const ready = await client.isReadyToPay(base);
    if (!ready.result) return false;
    const button = client.createButton({
      buttonLocale: { rus: 'ru', kaz: 'kk', eng: 'en' }[this.language],
      onClick: () => {
        void (async () => {
          try {
            const paymentData = await client.loadPaymentData({
              ...base,
              merchantInfo: config.merchantInfo,
              transactionInfo: {
                totalPriceStatus: 'FINAL',
                totalPrice: (order.amount / 100).toFixed(2),
                currencyCode: order.currency ?? 'KZT',
              },
            });
            const payment = await this.api.create<Payment>(
              '/v1/payments/google-pay',
              { ...this.orderBody(order), paymentData },
              newIdempotencyKey(),
            );
            handlers.onResult(await this.follow(payment));
          } catch (err) {
            handlers.onError?.(err);
          }
        })();
      },
    });
    resolve(target).append(button);
    return true;
  }

  // The bank's hosted widget: its script, its form; resolves with the settled payment.
  async openWidget(order: Order): Promise<Payment> {
    const created = await this.api.create<{
      payment: Payment;
      scriptUrl: string;
      paymentObject: unknown;
      clientSecret: string;
    }>('/v1/payments/widget', this.orderBody(order), newIdempotencyKey());
    this.remember(created.payment.id, created.clientSecret);
    if (!created.paymentObject) return this.waitForFinal(created.payment.id, created.clientSecret);
    const halyk = await loadGlobal<HalykGlobal>('halyk', created.scriptUrl);
    await new Promise<void>((done) => halyk.showPaymentWidget(created.paymentObject, () => done()));
    return this.waitForFinal(created.payment.id, created.clientSecret);
  }

  private orderBody(order: Order): Record<string, unknown> {
    return { currency: 'KZT', language: this.language, ...order };
  }

  private remember(id: string, clientSecret: string | undefined): void {
    if (!clientSecret) return;
    sessionStorage.setItem(`${STORAGE}${id}`, clientSecret);
    sessionStorage.setItem(`${STORAGE}last`, id);
  }

  private async follow(payment: Payment): Promise<Payment> {
    this.remember(payment.id, payment.clientSecret);
    if (payment.status === 'requires_3ds' && payment.nextAction?.type === 'redirect') {
      window.location.assign(payment.nextAction.url);
      // the page is leaving; handleReturn() on the way back settles it
      return new Promise<Payment>(() => undefined);
    }
    if (FINAL_STATUSES.has(payment.status) || !payment.clientSecret) return payment;
    return this.waitForFinal(payment.id, payment.clientSecret);
  }

  private showApiError(card: CardElement, err: unknown): void {
    if (!(err instanceof CheckoutError)) return;
    const fields: Record<string, FieldName> = {
      'card.number': 'number',
      'card.expMonth': 'expiry',
      'card.expYear': 'expiry',
      'card.cvc': 'cvc',
      'card.holder': 'holder',
    };
    const detail = err.error.details?.find((d) => d.field && fields[d.field]);
    if (detail?.field) card.showError(fields[detail.field], detail.message);
    else if (err.status === 0) card.showError('number', this.texts.network);
  }
}

function resolve(target: string | HTMLElement): HTMLElement {
  const el = typeof target === 'string' ? document.querySelector<HTMLElement>(target) : target;
  if (!el) throw new Error(`EpayCheckout: no element ${String(target)}`);
  return el;
}

// A global a vendor script defines (window.google, window.halyk), loading the script once if needed.
function loadGlobal<T>(name: string, src: string): Promise<T> {
  const existing = (window as unknown as Record<string, T | undefined>)[name];
  if (existing) return Promise.resolve(existing);
  return new Promise<T>((ok, fail) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.onload = () => {
      const loaded = (window as unknown as Record<string, T | undefined>)[name];
      if (loaded) ok(loaded);
      else fail(new Error(`${src} did not define ${name}`));
    };
    script.onerror = () => fail(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

export function create(options: CheckoutOptions): Checkout {
  return new Checkout(options);
}
