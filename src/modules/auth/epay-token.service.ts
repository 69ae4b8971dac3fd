import { Injectable, Logger } from '@nestjs/common';
import { minorToGatewayAmount } from '../../common/money/money.util';
import { EPAY_PAYMENT_SCOPE, EPAY_TRANSFER_SCOPE } from '../../gateway/constants/epay-hosts.constant';
import { GatewayException } from '../../gateway/gateway.exception';
import type { ExchangeLink } from '../../gateway/gateway-transport.service';
import { HomebankHttpService } from '../../gateway/homebank-http.service';

export interface InvoiceTokenRequest {
  invoiceId: string;
  amountMinor: number;
  currency: string;
  postLink?: string;
  failurePostLink?: string;
  // returned by ePay to the postLink; our per-payment proof that a callback is about this payment
  secretHash?: string;
  link?: ExchangeLink;
}

// Refresh the shared service token this long before ePay would expire it.
const SERVICE_TOKEN_MARGIN_MS = 60_000;

// OAuth2 client-credentials tokens (API.md §1). Payment and transfer tokens are bound to one invoice
// and fetched per operation, as the bank requires; the service token (with terminal, no invoice) for
// status, charge, cancel, refund and cards is cached and shared by concurrent callers.
@Injectable()
export class EpayTokenService {
  private readonly logger = new Logger(EpayTokenService.name);
  private serviceToken?: { value: string; refreshAt: number };
  private inflight?: Promise<string>;

  constructor(private readonly homebank: HomebankHttpService) {}

  async paymentToken(req: InvoiceTokenRequest): Promise<string> {
    return (await this.paymentTokenResponse(req)).accessToken;
  }

  // The widget needs the whole token object (S1: "auth ... transmitted completely as an object").
  paymentTokenResponse(req: InvoiceTokenRequest) {
    return this.homebank.requestToken(this.invoiceForm(EPAY_PAYMENT_SCOPE, req), req.link);
  }

  async transferToken(req: InvoiceTokenRequest): Promise<string> {
    return (await this.homebank.requestToken(this.invoiceForm(EPAY_TRANSFER_SCOPE, req), req.link)).accessToken;
  }

  async getServiceToken(): Promise<string> {
    const cached = this.serviceToken;
    if (cached && cached.refreshAt > Date.now()) return cached.value;
    // one fetch for everyone waiting, not a stampede
    this.inflight ??= this.fetchServiceToken().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  invalidateServiceToken(): void {
    this.serviceToken = undefined;
  }

  // Runs a call with the service token; if ePay refuses the token (expired early, revoked) the call
  // was not processed, so it is safe to fetch a new token and try exactly once more.
  async withServiceToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.getServiceToken();
    try {
      return await call(token);
    } catch (err) {
      if (!(err instanceof GatewayException) || err.failure !== 'auth' || err.operation === 'token') throw err;
      if (this.serviceToken?.value === token) this.invalidateServiceToken();
      return call(await this.getServiceToken());
    }
  }

  private async fetchServiceToken(): Promise<string> {
    const token = await this.homebank.requestToken({
      grant_type: 'client_credentials',
      scope: EPAY_PAYMENT_SCOPE,
      // without terminal the status check answers 104 (S0)
      terminal: this.homebank.terminalId,
    });
    const lifetimeMs = token.expiresInSeconds * 1000;
    const margin = Math.min(SERVICE_TOKEN_MARGIN_MS, lifetimeMs / 5);
    this.serviceToken = { value: token.accessToken, refreshAt: Date.now() + lifetimeMs - margin };
    this.logger.debug(`service token refreshed, valid ${token.expiresInSeconds}s`);
    return token.accessToken;
  }

  private invoiceForm(scope: string, req: InvoiceTokenRequest): Record<string, string> {
    const form: Record<string, string> = {
      grant_type: 'client_credentials',
      scope,
      invoiceID: req.invoiceId,
      amount: String(minorToGatewayAmount(req.amountMinor, req.currency)),
      currency: req.currency,
      terminal: this.homebank.terminalId,
    };
    if (req.postLink) form.postLink = req.postLink;
    if (req.failurePostLink) form.failurePostLink = req.failurePostLink;
    if (req.secretHash) form.secret_hash = req.secretHash;
    return form;
  }
}
