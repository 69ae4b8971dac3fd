import { isAppleValidationUrl } from './apple-pay-validation-url.util';

describe('isAppleValidationUrl', () => {
  it.each([
    'https://apple-pay-gateway.apple.com/paymentservices/paymentSession',
    'https://cn-apple-pay-gateway.apple.com/paymentservices/startSession',
    'https://apple-pay-gateway-nc-pod5.apple.com/paymentservices/paymentSession',
    'https://apple-pay-gateway-pr-pod1.apple.com/paymentservices/paymentSession',
    'https://cn-apple-pay-gateway-tj-pod3.apple.com/paymentservices/paymentSession',
    'https://apple-pay-gateway-cert.apple.com/paymentservices/paymentSession',
    'https://apple-pay-gateway.apple.com:443/paymentservices/paymentSession',
  ])('accepts Apple gateway %s', (url) => expect(isAppleValidationUrl(url)).toBe(true));

  it.each([
    'http://apple-pay-gateway.apple.com/paymentservices/paymentSession',
    'https://apple-pay-gateway.apple.com:8443/x',
    'https://apple-pay-gateway.apple.com.evil.kz/x',
    'https://evil.kz/apple-pay-gateway.apple.com',
    'https://user:pw@apple-pay-gateway.apple.com/x',
    'https://apple.com/x',
    'https://xapple-pay-gateway.apple.com/x',
    'https://127.0.0.1/x',
    'not a url',
    '',
    42,
  ])('refuses %s', (url) => expect(isAppleValidationUrl(url)).toBe(false));
});
