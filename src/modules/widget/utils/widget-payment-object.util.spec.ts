import { buildWidgetPaymentObject, widgetAuth } from './widget-payment-object.util';

const links = {
  postLink: 'https://api.example.kz/v1/webhooks/epay/post-link?pid=p&token=t',
  failurePostLink: 'https://api.example.kz/f',
};
const payment = {
  invoiceId: '100000123',
  invoiceIdAlt: null,
  backLink: 'https://shop.example.kz/ok',
  failureBackLink: null,
  language: null,
  description: 'Order 42',
  accountId: 'user-1',
  amount: 10050,
  currency: 'KZT',
  payerName: null,
  metadata: null,
};

describe('widget payment object (S1 createPaymentObject)', () => {
  it('speaks decimals to the bank and omits what is not set', () => {
    expect(buildWidgetPaymentObject(payment, links, 'term')).toEqual({
      invoiceId: '100000123',
      invoiceIdAlt: undefined,
      backLink: 'https://shop.example.kz/ok',
      failureBackLink: undefined,
      postLink: links.postLink,
      failurePostLink: links.failurePostLink,
      language: 'rus',
      description: 'Order 42',
      accountId: 'user-1',
      terminal: 'term',
      amount: 100.5,
      currency: 'KZT',
      name: undefined,
      data: undefined,
    });
  });

  it('passes metadata as a JSON string, the name and language as given, exact amounts', () => {
    const o = buildWidgetPaymentObject(
      { ...payment, amount: 1, metadata: { a: [1, 'x'] }, payerName: 'ARMAN ALI', language: 'eng', currency: 'USD ' },
      links,
      't',
    );
    expect(o).toMatchObject({
      amount: 0.01,
      data: '{"a":[1,"x"]}',
      name: 'ARMAN ALI',
      language: 'eng',
      currency: 'USD',
    });
    expect(buildWidgetPaymentObject({ ...payment, amount: 999_999_999_99 }, links, 't').amount).toBe(999999999.99);
  });

  it('has no auth: the token is added per response, never stored', () => {
    expect('auth' in buildWidgetPaymentObject(payment, links, 't')).toBe(false);
  });

  it("passes ePay's token object on as received: its types and any field it adds", () => {
    const raw = {
      access_token: 'AT',
      expires_in: '7200',
      refresh_token: '',
      scope: 'payment',
      token_type: 'Bearer',
      x: 1,
    };
    expect(widgetAuth({ accessToken: 'AT', expiresInSeconds: 7200, scope: 'payment', raw })).toEqual(raw);
  });

  it('rebuilds the token object only when no reply object is at hand', () => {
    expect(widgetAuth({ accessToken: 'AT', expiresInSeconds: 7200, scope: 'payment' })).toEqual({
      access_token: 'AT',
      expires_in: 7200,
      refresh_token: '',
      scope: 'payment',
      token_type: 'Bearer',
    });
  });
});
