// The few calls a browser makes, with a publishable key or a customer session.

export interface Payment {
  id: string;
  status: string;
  amount: number;
  currency: string;
  invoiceId: string;
  failure: { code: string; message: string } | null;
  nextAction: { type: string; url: string } | null;
  clientSecret?: string;
  [field: string]: unknown;
}

export interface ApiError {
  code: string;
  message: string;
  details?: { field?: string; message: string }[];
  requestId?: string;
}

export class CheckoutError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    super(error.message);
    this.name = 'CheckoutError';
  }
}

// Settled from the customer's point of view: nothing more will happen without a new action.
export const FINAL_STATUSES = new Set([
  'authorized',
  'charged',
  'partially_refunded',
  'refunded',
  'cancelled',
  'failed',
]);

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          'X-API-Key': this.key,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new CheckoutError(0, { code: 'NETWORK', message: 'network error' });
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (a proxy's error page): reported by status below
    }
    if (!res.ok) {
      const error = (json as { error?: ApiError } | null)?.error ?? {
        code: `HTTP_${res.status}`,
        message: text.slice(0, 200),
      };
      throw new CheckoutError(res.status, error);
    }
    return json as T;
  }

  // money-moving: always with an Idempotency-Key, so a retried click never pays twice
  create<T>(path: string, body: unknown, idempotencyKey: string): Promise<T> {
    return this.request<T>('POST', path, body, { 'Idempotency-Key': idempotencyKey });
  }

  getPayment(id: string, clientSecret: string): Promise<Payment> {
    return this.request<Payment>('GET', `/v1/payments/${encodeURIComponent(id)}`, undefined, {
      'X-Client-Secret': clientSecret,
    });
  }
}

export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
