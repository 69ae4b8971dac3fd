import type { EpayEnv } from '../../config/env.validation';

// API.md §0. The old test API base carries /api; production does not.
export const EPAY_HOSTS: Record<
  Exclude<EpayEnv, 'sandbox'>,
  { oauthUrl: string; apiUrl: string; widgetScriptUrl: string }
> = {
  test: {
    oauthUrl: 'https://testoauth.homebank.kz/epay2/oauth2/token',
    apiUrl: 'https://testepay.homebank.kz/api',
    widgetScriptUrl: 'https://test-epay.homebank.kz/payform/payment-api.js',
  },
  prod: {
    oauthUrl: 'https://epay-oauth.homebank.kz/oauth2/token',
    apiUrl: 'https://epay-api.homebank.kz',
    widgetScriptUrl: 'https://epay.homebank.kz/payform/payment-api.js',
  },
};

// The bank's public test merchant (seeds S0–S4): used by default in sandbox and test environments.
export const EPAY_PUBLIC_TEST_CREDENTIALS = {
  clientId: 'test',
  clientSecret: 'yF587AV9Ms94qN2QShFzVR3vFnWkhjbAK3sG',
  terminalId: '67e34d63-102f-4bd1-898e-370781d0074d',
};

// Scopes (API.md §1): the long scope for payments, status, cards and operations; "transfer" for P2P.
export const EPAY_PAYMENT_SCOPE = 'webapi usermanagement email_send verification statement statistics payment';
export const EPAY_TRANSFER_SCOPE = 'transfer';
