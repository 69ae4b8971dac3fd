import { computeSignature, signatureHeader, verifySignature } from './webhook-signature.util';

describe('webhook signature', () => {
  const secret = 'whsec_test_secret';
  const body = '{"id":"e1","type":"payment.succeeded","created":"2026-01-01T00:00:00.000Z","data":{}}';
  const ts = 1767225600;

  it('matches a known HMAC-SHA256 vector over "<timestamp>.<body>"', () => {
    // independent reference: printf '%s' "1767225600.$body" | openssl dgst -sha256 -hmac whsec_test_secret
    expect(computeSignature(secret, ts, body)).toBe('b11afb62c93e1d9efcb98cabfbef8fd61dc359a396201c6c0f2c94f013650cef');
  });

  it('verifies its own header within the window, with either of two secrets after a rotation', () => {
    const header = signatureHeader(['whsec_new', secret], ts, body);
    expect(header).toMatch(/^v1=[0-9a-f]{64} v1=[0-9a-f]{64}$/);
    expect(verifySignature({ header, timestamp: String(ts), body, secret, nowSeconds: ts + 10 })).toBe(true);
    expect(verifySignature({ header, timestamp: String(ts), body, secret: 'whsec_new', nowSeconds: ts + 10 })).toBe(
      true,
    );
  });

  it('refuses a wrong secret, a changed body, a changed timestamp and an old or future timestamp', () => {
    const header = signatureHeader([secret], ts, body);
    expect(verifySignature({ header, timestamp: String(ts), body, secret: 'whsec_other', nowSeconds: ts })).toBe(false);
    expect(
      verifySignature({ header, timestamp: String(ts), body: body.replace('e1', 'e2'), secret, nowSeconds: ts }),
    ).toBe(false);
    expect(verifySignature({ header, timestamp: String(ts + 1), body, secret, nowSeconds: ts })).toBe(false);
    expect(verifySignature({ header, timestamp: String(ts), body, secret, nowSeconds: ts + 301 })).toBe(false);
    expect(verifySignature({ header, timestamp: String(ts), body, secret, nowSeconds: ts - 301 })).toBe(false);
    expect(verifySignature({ header: 'v1=zz', timestamp: String(ts), body, secret, nowSeconds: ts })).toBe(false);
    expect(verifySignature({ header: undefined, timestamp: String(ts), body, secret, nowSeconds: ts })).toBe(false);
  });
});
