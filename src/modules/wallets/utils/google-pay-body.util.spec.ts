import { buildGooglePayBody, GooglePayPaymentData, isGooglePayToken } from './google-pay-body.util';

// S0's token, shortened: a JSON string with signature, intermediateSigningKey, protocolVersion, signedMessage
const TOKEN = JSON.stringify({
  signature: 'MEQCIG0Pt0VSb8/W00fzbPLtO5z3DYNrG1IrU94YI0U3VZw3AiAekJRW2Bcq1+hPbcbBniw9vRNSH2w3+qFX5EcQwkJo1w==',
  intermediateSigningKey: {
    signedKey: '{"keyValue":"MFkw","keyExpiration":"1695271732552"}',
    signatures: ['MEQCIFurLZ'],
  },
  protocolVersion: 'ECv2',
  signedMessage: '{"encryptedMessage":"5XrIV3etzcSBdH8f","ephemeralPublicKey":"BOmDg7vg","tag":"I9P/hCUv"}',
});

const paymentData: GooglePayPaymentData & Record<string, unknown> = {
  apiVersion: 2,
  apiVersionMinor: 0,
  email: 'payer@example.kz',
  paymentMethodData: {
    description: 'Visa •••• 1111',
    type: 'CARD',
    tokenizationData: { type: 'PAYMENT_GATEWAY', token: TOKEN },
    info: {
      cardNetwork: 'VISA',
      cardDetails: '1111',
      billingAddress: { name: 'A' },
    } as GooglePayPaymentData['paymentMethodData']['info'],
  },
};

describe('Google Pay body (S0)', () => {
  it('adds paymentType googlePay and exactly the PaymentData fields of the seed to the shared body', () => {
    const common = { amount: 100.5, currency: 'KZT', invoiceId: '100000001', cardSave: true, terminalId: 't' };
    expect(buildGooglePayBody(common, paymentData)).toEqual({
      amount: 100.5,
      currency: 'KZT',
      invoiceId: '100000001',
      terminalId: 't',
      cardSave: false,
      useBonus: false,
      paymentType: 'googlePay',
      googlePay: {
        apiVersionMinor: 0,
        apiVersion: 2,
        paymentMethodData: {
          description: 'Visa •••• 1111',
          tokenizationData: { type: 'PAYMENT_GATEWAY', token: TOKEN },
          type: 'CARD',
          info: { cardNetwork: 'VISA', cardDetails: '1111' },
        },
      },
    });
  });

  it('keeps the token a string, byte for byte', () => {
    const body = buildGooglePayBody({}, paymentData) as {
      googlePay: { paymentMethodData: { tokenizationData: { token: unknown } } };
    };
    expect(body.googlePay.paymentMethodData.tokenizationData.token).toBe(TOKEN);
  });

  it('recognises a gateway token by its shape only', () => {
    expect(isGooglePayToken(TOKEN)).toBe(true);
    expect(isGooglePayToken(JSON.stringify({ protocolVersion: 'ECv1', signedMessage: '{}', signature: 'x' }))).toBe(
      true,
    );
    for (const bad of [
      '',
      'not json',
      '[]',
      '{}',
      JSON.stringify({ protocolVersion: 'ECv2' }),
      JSON.stringify({ protocolVersion: 2, signedMessage: 'x' }),
      42,
      null,
    ]) {
      expect(isGooglePayToken(bad)).toBe(false);
    }
    expect(isGooglePayToken(JSON.stringify({ protocolVersion: 'ECv2', signedMessage: 'x'.repeat(17000) }))).toBe(false);
  });
});
