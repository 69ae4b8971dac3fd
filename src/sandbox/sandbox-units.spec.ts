import { parseBody, str } from './sandbox-body.util';
import { maskPan } from './sandbox-format.util';
import { toDecimal, toMinor } from './sandbox-money.util';
import { routeNameOf } from './sandbox-routes.constant';
import { CARD_PROFILES, resolveCard, TEST_CARDS } from './sandbox-test-cards.constant';

describe('sandbox units', () => {
  it('converts decimal amounts to minor units and back without float drift', () => {
    expect(toMinor(100)).toBe(10000);
    expect(toMinor(100.5)).toBe(10050);
    expect(toMinor(12.22)).toBe(1222);
    expect(toMinor('0.1')).toBe(10);
    expect(toMinor('2400.00')).toBe(240000);
    expect(toMinor(0.1 + 0.2)).toBe(30); // float noise from a JS client is tolerated
    expect(toMinor(1.005)).toBeUndefined(); // a third decimal is not
    expect(toMinor('1.005')).toBeUndefined();
    expect(toMinor(-1)).toBeUndefined();
    expect(toMinor('abc')).toBeUndefined();
    expect(toDecimal(10050)).toBe(100.5);
    expect(toDecimal(6025)).toBe(60.25);
    expect(JSON.stringify({ a: toDecimal(toMinor(12.22)!) })).toBe('{"a":12.22}');
  });

  it('resolves the test card table', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const r = (pan: string, expDate: string, cvc: string) => resolveCard({ pan, expDate, cvc }, now).profile;
    expect(r('4405639704015096', '0125', '815')).toBe(CARD_PROFILES.approve); // published (past) expiry accepted
    expect(r('4405639704015096', '1229', '815')).toBe(CARD_PROFILES.approve);
    expect(r('4405639704015096', '0124', '815')).toBe(CARD_PROFILES.badExpiry);
    expect(r('4405639704015096', '0125', '816')).toBe(CARD_PROFILES.badCvc);
    expect(r('5522042705066736', '0125', '525')).toBe(CARD_PROFILES.threeDs);
    expect(r('377514500004820', '0125', '4169').reasonCode).toBe(465);
    expect(r('4003032704547597', '0920', '170').reasonCode).toBe(478);
    expect(r('5578342710750560', '0920', '254').reasonCode).toBe(478);
    expect(r('4111111111111111', '0526', '000')).toBe(CARD_PROFILES.expired);
    expect(r('4111111111111111', '0626', '000')).toBe(CARD_PROFILES.approve);
    expect(r('4000000000000119', '1230', '1')).toBe(CARD_PROFILES.pending);
    expect(r('5555555555554444', '1230', '1')).toBe(CARD_PROFILES.approve); // unknown but Luhn-valid
    expect(r('5555555555554445', '1230', '1')).toBe(CARD_PROFILES.noSuchCard);
    expect(resolveCard({ pan: '377514500004820', expDate: '0125', cvc: '4169' }, now).cardType).toBe('AMEX');
    expect(TEST_CARDS.filter((c) => c.source === 'seed')).toHaveLength(5);
    expect(maskPan('377514500004820')).toBe('377514...4820');
  });

  it('parses urlencoded, multipart and JSON bodies and matches keys loosely', () => {
    expect(parseBody('', 'a=1&InvoiceID=42')).toEqual({ a: '1', InvoiceID: '42' });
    const mp =
      '--XX\r\nContent-Disposition: form-data; name="invoiceID"\r\n\r\n000001\r\n--XX\r\nContent-Disposition: form-data; name="amount"\r\n\r\n100\r\n--XX--\r\n';
    expect(parseBody('multipart/form-data; boundary=XX', mp)).toEqual({ invoiceID: '000001', amount: '100' });
    expect(parseBody('application/json', '{"x":')).toBeUndefined();
    const body = { 'Invoice ID': '7', account_id: 'a', сryptogram: 'c' };
    expect(str(body, 'invoiceId')).toBe('7');
    expect(str(body, 'accountId')).toBe('a');
    expect(str(body, 'cryptogram', '\u0441ryptogram')).toBe('c');
  });

  it('names routes under / and /api/', () => {
    expect(routeNameOf('/api/payment/cryptopay')).toBe('cryptopay');
    expect(routeNameOf('/epay2/oauth2/token')).toBe('oauth');
    expect(routeNameOf('/operation/abc/refund')).toBe('refund');
    expect(routeNameOf('/operation/123456')).toBe('operation');
    expect(routeNameOf('/chpayment/transfer')).toBe('p2p');
    expect(routeNameOf('/check-status/p2p/transaction/1')).toBe('check-status-p2p');
    expect(routeNameOf('/nope')).toBe('unknown');
  });
});
