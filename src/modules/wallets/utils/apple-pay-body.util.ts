import type { CryptogramPayload } from '../../crypto/cryptogram.service';

// Apple's decrypted payment data ("Payment token format reference"), as the merchant's server gets it
// by decrypting PKPaymentToken.paymentData with its Payment Processing key.
export interface ApplePayDecryptedData {
  applicationPrimaryAccountNumber: string;
  // YYMMDD
  applicationExpirationDate: string;
  // ISO 4217 numeric, e.g. "398"
  currencyCode: string;
  // minor units
  transactionAmount: number;
  paymentDataType: string;
  paymentData: { onlinePaymentCryptogram: string; eciIndicator?: string };
  [key: string]: unknown;
}

export interface ApplePayPaymentMethod {
  displayName?: string;
  network?: string;
  type?: string;
}

// ISO 4217 numeric codes of the currencies we accept (money.util CURRENCY_EXPONENT).
export const ISO_NUMERIC_CURRENCY: Readonly<Record<string, string>> = {
  KZT: '398',
  USD: '840',
  EUR: '978',
  RUB: '643',
  GBP: '826',
  CNY: '156',
  KGS: '417',
  UZS: '860',
  TRY: '949',
  AED: '784',
};

// YYMMDD (Apple) → DDMMYY (S4's cryptogram expDate)
export function appleExpiryToDdMmYy(yymmdd: string): string {
  if (!/^\d{6}$/.test(yymmdd)) throw new Error('applicationExpirationDate must be YYMMDD');
  return `${yymmdd.slice(4, 6)}${yymmdd.slice(2, 4)}${yymmdd.slice(0, 2)}`;
}

// The cryptogram plaintext for Apple Pay: no card in it, placeholders the bank documents (S4: hpan
// "AppleToken", expDate "DDMMYY"; the SDK: expDate "expToken"), cvc empty.
export function applePayCryptogramPayload(expDate: string, terminalId: string): CryptogramPayload {
  return { hpan: 'AppleToken', expDate, cvc: '', terminalId };
}

// S4 body: the decrypted payment data travels as cryptogramApplePay. It is the only place the device
// account number and the online cryptogram reach the bank (hpan is a placeholder), so all of it goes.
export function buildApplePaySeedBody(
  commonBody: Record<string, unknown>,
  decrypted: ApplePayDecryptedData,
  cryptogram: string,
): Record<string, unknown> {
  return {
    ...commonBody,
    cardSave: false,
    paymentType: 'ApplePay',
    cryptogramApplePay: JSON.stringify(decrypted),
    cryptogram,
  };
}

// SDK body (EpaySDK ApiRequest.makePayment): the raw PKPaymentToken as applePay, the bank decrypts it.
export function buildApplePaySdkBody(
  commonBody: Record<string, unknown>,
  token: Record<string, unknown>,
  cryptogram: string,
): Record<string, unknown> {
  return { ...commonBody, cardSave: false, paymentType: 'applePay', applePay: token, cryptogram };
}

// PKPaymentMethod {displayName "Visa 1234", network "Visa"|"MasterCard"|"AmEx"} → our card type and last four.
export function applePayCardInfo(method: ApplePayPaymentMethod | undefined): {
  cardType: string | null;
  cardLast4: string | null;
} {
  const network = method?.network?.replace(/[^A-Za-z]/g, '').toUpperCase();
  const cardType = network === 'AMERICANEXPRESS' ? 'AMEX' : network || null;
  const last4 = method?.displayName ? /(\d{4})\s*$/.exec(method.displayName)?.[1] : undefined;
  return { cardType, cardLast4: last4 ?? null };
}
