import { redact } from '../../../common/logging/redact.util';
import {
  appleExpiryToDdMmYy,
  applePayCardInfo,
  applePayCryptogramPayload,
  buildApplePaySdkBody,
  buildApplePaySeedBody,
  ISO_NUMERIC_CURRENCY,
} from './apple-pay-body.util';
import { CURRENCY_EXPONENT } from '../../../common/money/money.util';

const DPAN = '4817499999999993';
const decrypted = {
  applicationPrimaryAccountNumber: DPAN,
  applicationExpirationDate: '291231',
  currencyCode: '398',
  transactionAmount: 10050,
  paymentDataType: '3DSecure',
  paymentData: { onlinePaymentCryptogram: 'AgAAAAAABk4DWZ4C28yUQAAAAAA=', eciIndicator: '7' },
};

describe('Apple Pay bodies', () => {
  it('seed (S4): the decrypted data as cryptogramApplePay, paymentType ApplePay, no card saving', () => {
    const body = buildApplePaySeedBody({ amount: 100.5, cardSave: true }, decrypted, 'CRYPTOGRAM');
    expect(body).toEqual({
      amount: 100.5,
      cardSave: false,
      paymentType: 'ApplePay',
      cryptogramApplePay: JSON.stringify(decrypted),
      cryptogram: 'CRYPTOGRAM',
    });
  });

  it('sdk: the raw token as applePay, paymentType applePay', () => {
    const token = {
      paymentData: { version: 'EC_v1', data: 'abc' },
      paymentMethod: { network: 'Visa' },
      transactionIdentifier: 'AB',
    };
    expect(buildApplePaySdkBody({ amount: 1 }, token, 'C')).toEqual({
      amount: 1,
      cardSave: false,
      paymentType: 'applePay',
      applePay: token,
      cryptogram: 'C',
    });
  });

  it('stores nothing of either in exchange records (redact)', () => {
    const seed = JSON.stringify(redact(buildApplePaySeedBody({}, decrypted, 'CRYPTOGRAM')));
    expect(seed).not.toContain(DPAN);
    expect(seed).not.toContain('AgAAAAAABk4DWZ4C28yUQAAAAAA=');
    expect(seed).not.toContain('CRYPTOGRAM');
    const sdk = JSON.stringify(redact(buildApplePaySdkBody({}, { paymentData: { data: 'SECRETDATA' } }, 'C')));
    expect(sdk).not.toContain('SECRETDATA');
  });

  it('the cryptogram carries placeholders only: hpan AppleToken, no cvc', () => {
    expect(applePayCryptogramPayload(appleExpiryToDdMmYy('291231'), 'term')).toEqual({
      hpan: 'AppleToken',
      expDate: '311229',
      cvc: '',
      terminalId: 'term',
    });
    expect(applePayCryptogramPayload('expToken', 'term').expDate).toBe('expToken');
    expect(() => appleExpiryToDdMmYy('2912')).toThrow();
  });

  it('reads card type and last four from PKPaymentMethod', () => {
    expect(applePayCardInfo({ displayName: 'Visa 0326', network: 'Visa' })).toEqual({
      cardType: 'VISA',
      cardLast4: '0326',
    });
    expect(applePayCardInfo({ displayName: 'MasterCard 4242', network: 'MasterCard' })).toEqual({
      cardType: 'MASTERCARD',
      cardLast4: '4242',
    });
    expect(applePayCardInfo({ network: 'AmEx' })).toEqual({ cardType: 'AMEX', cardLast4: null });
    expect(applePayCardInfo({ displayName: 'Apple Card' })).toEqual({ cardType: null, cardLast4: null });
    expect(applePayCardInfo(undefined)).toEqual({ cardType: null, cardLast4: null });
  });

  it('knows the numeric code of every currency we accept', () => {
    expect(Object.keys(ISO_NUMERIC_CURRENCY).sort()).toEqual(Object.keys(CURRENCY_EXPONENT).sort());
    expect(ISO_NUMERIC_CURRENCY.KZT).toBe('398');
  });
});
