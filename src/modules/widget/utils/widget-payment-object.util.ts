import { minorToGatewayAmount } from '../../../common/money/money.util';
import type { EpayToken } from '../../../gateway/gateway-api.types';
import type { PaymentEntity } from '../../payments/payment.entity';
import type { WidgetAuthDto, WidgetPaymentObjectDto } from '../dtos/widget-payment-response.dto';

// S1's createPaymentObject(), from the payment row: amounts in decimals only here, at the bank's edge.
// No auth: the token is added per response and never stored (see WidgetAuthInterceptor).
export function buildWidgetPaymentObject(
  p: Pick<
    PaymentEntity,
    | 'invoiceId'
    | 'invoiceIdAlt'
    | 'backLink'
    | 'failureBackLink'
    | 'language'
    | 'description'
    | 'accountId'
    | 'amount'
    | 'currency'
    | 'payerName'
    | 'metadata'
  >,
  links: { postLink: string; failurePostLink: string },
  terminalId: string,
): WidgetPaymentObjectDto {
  const currency = p.currency.trim();
  return {
    invoiceId: p.invoiceId,
    invoiceIdAlt: p.invoiceIdAlt ?? undefined,
    backLink: p.backLink ?? undefined,
    failureBackLink: p.failureBackLink ?? undefined,
    postLink: links.postLink,
    failurePostLink: links.failurePostLink,
    language: p.language ?? 'rus',
    description: p.description ?? undefined,
    accountId: p.accountId ?? '',
    terminal: terminalId,
    amount: minorToGatewayAmount(p.amount, currency),
    currency,
    name: p.payerName ?? undefined,
    data: p.metadata ? JSON.stringify(p.metadata) : undefined,
  };
}

// The token object the widget wants: ePay's reply as received (S1: "all data received from epay upon
// request of the token ... transmitted completely as an object"), not rebuilt; the parsed fields only
// when no reply object is at hand.
export function widgetAuth(token: EpayToken): WidgetAuthDto {
  if (token.raw) return { ...token.raw } as unknown as WidgetAuthDto;
  return {
    access_token: token.accessToken,
    expires_in: token.expiresInSeconds,
    refresh_token: '',
    scope: token.scope,
    token_type: 'Bearer',
  };
}
