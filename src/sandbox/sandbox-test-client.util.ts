import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { encryptCryptogram } from './sandbox-testing.util';

// A thin ePay client for tests: tokens, cryptograms and the common payment call, over real HTTP.

export const LONG_SCOPE = 'webapi usermanagement email_send verification statement statistics payment';

export interface TestCardData {
  pan: string;
  exp: string; // MMYY
  cvc: string;
}

export class SandboxTestClient {
  readonly http: AxiosInstance;
  private publicKeyPem?: string;

  constructor(
    readonly baseUrl: string,
    readonly creds = {
      clientId: 'test',
      clientSecret: 'yF587AV9Ms94qN2QShFzVR3vFnWkhjbAK3sG',
      terminalId: '67e34d63-102f-4bd1-898e-370781d0074d',
    },
  ) {
    this.http = axios.create({ baseURL: baseUrl, validateStatus: () => true, timeout: 5000 });
  }

  // x-www-form-urlencoded token request; fields override the defaults (client credentials, long scope, terminal).
  async token(fields: Record<string, string | number> = {}): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: LONG_SCOPE,
      client_id: this.creds.clientId,
      client_secret: this.creds.clientSecret,
      terminal: this.creds.terminalId,
      ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])),
    });
    const res = await this.http.post('/oauth2/token', form.toString(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(res.data)}`);
    return (res.data as { access_token: string }).access_token;
  }

  paymentToken(
    invoiceId: string,
    amount: number | string,
    extra: Record<string, string | number> = {},
  ): Promise<string> {
    return this.token({ invoiceID: invoiceId, amount, currency: 'KZT', ...extra });
  }

  async cryptogram(card: TestCardData, terminalId = this.creds.terminalId): Promise<string> {
    if (!this.publicKeyPem)
      this.publicKeyPem = (await this.http.get<string>('/public.rsa', { responseType: 'text' })).data;
    return encryptCryptogram(this.publicKeyPem, { hpan: card.pan, expDate: card.exp, cvc: card.cvc, terminalId });
  }

  async payCard(
    invoiceId: string,
    amount: number,
    card: TestCardData,
    body: Record<string, unknown> = {},
    tokenExtra: Record<string, string | number> = {},
  ): Promise<AxiosResponse<Record<string, unknown>>> {
    const token = await this.paymentToken(invoiceId, amount, tokenExtra);
    return this.http.post(
      '/payment/cryptopay',
      {
        amount,
        currency: 'KZT',
        name: 'ARMAN ALI',
        cryptogram: await this.cryptogram(card),
        invoiceId,
        description: 'test payment',
        cardSave: false,
        ...body,
      },
      { headers: { authorization: `Bearer ${token}` } },
    );
  }

  bearer(token: string): { headers: { authorization: string } } {
    return { headers: { authorization: `Bearer ${token}` } };
  }
}
