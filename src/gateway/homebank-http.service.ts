import { Injectable } from '@nestjs/common';
import { minorToGatewayAmount } from '../common/money/money.util';
import { GatewayException } from './gateway.exception';
import type {
  EpayP2pReply,
  EpayPaymentReply,
  EpayRegistryRecord,
  EpaySavedCard,
  EpayStatusReply,
  EpayToken,
} from './gateway-api.types';
import { GatewayEndpointsService } from './gateway-endpoints.service';
import { ExchangeLink, GatewayRequest, GatewayTransportService } from './gateway-transport.service';
import {
  EpayParseError,
  parseP2pReply,
  parsePaymentReply,
  parseRegistry,
  parseSavedCards,
  parseStatusReply,
  parseToken,
} from './utils/epay-reply.parser';

// The one typed client for ePay. Callers pass the access token (Auth module) and the payment or
// transfer the call belongs to (for the exchange record). Only reads are retried.
@Injectable()
export class HomebankHttpService {
  constructor(
    private readonly transport: GatewayTransportService,
    private readonly endpoints: GatewayEndpointsService,
  ) {}

  get terminalId(): string {
    return this.endpoints.terminalId;
  }

  async requestToken(form: Record<string, string>, link?: ExchangeLink): Promise<EpayToken> {
    const res = await this.transport.send({
      operation: 'token',
      method: 'POST',
      url: this.endpoints.oauthUrl,
      form: { ...form, client_id: this.endpoints.clientId, client_secret: this.endpoints.clientSecret },
      // a token moves no money; a lost reply is simply asked again
      retry: true,
      expect: 'json',
      link,
    });
    return this.parse('token', res.status, () => parseToken(res.data));
  }

  async fetchPublicKey(): Promise<string> {
    const res = await this.transport.send<string>({
      operation: 'public-key',
      method: 'GET',
      url: this.endpoints.api('/public.rsa'),
      retry: true,
      expect: 'text',
      recordResponse: (pem) => ({ pemLength: typeof pem === 'string' ? pem.length : 0 }),
    });
    return res.data;
  }

  async cryptopay(
    token: string,
    body: Record<string, unknown>,
    currency: string,
    link: ExchangeLink,
  ): Promise<EpayPaymentReply> {
    return this.payment('cryptopay', '/payment/cryptopay', token, body, currency, link);
  }

  async cardIdPayment(
    token: string,
    body: Record<string, unknown>,
    currency: string,
    link: ExchangeLink,
  ): Promise<EpayPaymentReply> {
    return this.payment('card-id-payment', '/payments/cards/auth', token, body, currency, link);
  }

  // The bank's reply to confirm has no JSON contract (API.md §4): the outcome is read by a status check.
  async confirm3ds(token: string, body: { ID: string; PaRes: string; MD: string }, link: ExchangeLink): Promise<void> {
    await this.transport.send({
      operation: 'confirm-3ds',
      method: 'POST',
      url: this.endpoints.api('/payment/confirm'),
      bearer: token,
      json: body,
      expect: 'text',
      link,
      recordResponse: (page) => ({ length: typeof page === 'string' ? page.length : 0 }),
    });
  }

  async checkPaymentStatus(token: string, invoiceId: string, link?: ExchangeLink): Promise<EpayStatusReply> {
    return this.status('status', `/check-status/payment/transaction/${encodeURIComponent(invoiceId)}`, token, link);
  }

  async checkTransferStatus(token: string, orderId: string, link?: ExchangeLink): Promise<EpayStatusReply> {
    return this.status('p2p-status', `/check-status/p2p/transaction/${encodeURIComponent(orderId)}`, token, link);
  }

  async charge(
    token: string,
    transactionId: string,
    amountMinor: number | undefined,
    currency: string,
    link: ExchangeLink,
  ): Promise<void> {
    const amount = amountMinor === undefined ? undefined : minorToGatewayAmount(amountMinor, currency);
    await this.operation('charge', transactionId, token, amount === undefined ? {} : { amount: String(amount) }, link);
  }

  async cancel(token: string, transactionId: string, link: ExchangeLink): Promise<void> {
    await this.operation('cancel', transactionId, token, {}, link);
  }

  async refund(
    token: string,
    transactionId: string,
    amountMinor: number | undefined,
    currency: string,
    externalId: string,
    link: ExchangeLink,
  ): Promise<void> {
    const query: Record<string, string> = { externalID: externalId };
    if (amountMinor !== undefined) query.amount = String(minorToGatewayAmount(amountMinor, currency));
    await this.operation('refund', transactionId, token, query, link);
  }

  async listCards(token: string, accountId: string): Promise<EpaySavedCard[]> {
    const res = await this.transport.send({
      operation: 'cards',
      method: 'GET',
      url: this.endpoints.api(`/cards/${encodeURIComponent(accountId)}`),
      bearer: token,
      retry: true,
      expect: 'json',
    });
    return parseSavedCards(res.data);
  }

  async deactivateCard(token: string, cardId: string): Promise<void> {
    await this.transport.send({
      operation: 'card-deactivate',
      method: 'POST',
      url: this.endpoints.api(`/card/deactivate/${encodeURIComponent(cardId)}`),
      bearer: token,
      expect: 'json',
    });
  }

  // `path`: the sources disagree on the URL (API.md §11: S3 /payments/cards/auth, the SDK /p2p/transfer)
  async p2pTransfer(
    token: string,
    body: Record<string, unknown>,
    currency: string,
    link: ExchangeLink,
    path = '/payments/cards/auth',
  ): Promise<EpayP2pReply> {
    const res = await this.transport.send({
      operation: 'p2p-transfer',
      method: 'POST',
      url: this.endpoints.api(path),
      bearer: token,
      json: body,
      expect: 'json',
      link,
    });
    return this.parse('p2p-transfer', res.status, () => parseP2pReply(res.data, currency), res.data);
  }

  async operationsRegistry(
    token: string,
    from: Date,
    to: Date,
    page: number,
    size: number,
  ): Promise<{ total: number; records: EpayRegistryRecord[] }> {
    const res = await this.transport.send({
      operation: 'operations',
      method: 'POST',
      url: this.endpoints.api('/operations'),
      bearer: token,
      json: {
        paging: { page, size },
        searchParameters: [
          { name: 'created_date', method: 'between', searchParameter: [from.toISOString(), to.toISOString()] },
        ],
        orderParameters: [{ field: 'created_date', typeOrder: 'ASC' }],
      },
      retry: true,
      expect: 'json',
      recordResponse: (data) => ({ totalCount: (data as { totalCount?: unknown })?.totalCount }),
    });
    return this.parse('operations', res.status, () => parseRegistry(res.data), res.data);
  }

  private async payment(
    operation: string,
    path: string,
    token: string,
    body: Record<string, unknown>,
    currency: string,
    link: ExchangeLink,
  ): Promise<EpayPaymentReply> {
    const req: GatewayRequest = {
      operation,
      method: 'POST',
      url: this.endpoints.api(path),
      bearer: token,
      json: body,
      expect: 'json',
      link,
    };
    const res = await this.transport.send(req);
    return this.parse(operation, res.status, () => parsePaymentReply(res.data, currency), res.data);
  }

  private async status(operation: string, path: string, token: string, link?: ExchangeLink): Promise<EpayStatusReply> {
    const res = await this.transport.send({
      operation,
      method: 'GET',
      url: this.endpoints.api(path),
      bearer: token,
      retry: true,
      expect: 'json',
      link,
    });
    return this.parse(operation, res.status, () => parseStatusReply(res.data), res.data);
  }

  private async operation(
    name: 'charge' | 'cancel' | 'refund',
    transactionId: string,
    token: string,
    query: Record<string, string>,
    link: ExchangeLink,
  ): Promise<void> {
    const qs = new URLSearchParams(query).toString();
    await this.transport.send({
      operation: name,
      method: 'POST',
      url: this.endpoints.api(`/operation/${encodeURIComponent(transactionId)}/${name}${qs ? `?${qs}` : ''}`),
      bearer: token,
      expect: 'operation',
      link,
      recordRequest: query,
    });
  }

  private parse<T>(operation: string, httpStatus: number, fn: () => T, body?: unknown): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof EpayParseError) {
        throw new GatewayException(
          'malformed',
          `ePay ${operation}: ${err.message}`,
          { operation, httpStatus, body },
          { cause: err },
        );
      }
      throw err;
    }
  }
}
