// The Google Pay PaymentData fields ePay takes (S0), as our request DTO carries them.
export interface GooglePayPaymentData {
  apiVersion: number;
  apiVersionMinor: number;
  paymentMethodData: {
    type: string;
    description?: string;
    tokenizationData: { type: string; token: string };
    info: { cardNetwork: string; cardDetails: string };
  };
}

// A PAYMENT_GATEWAY token is a JSON string (ECv1/ECv2: protocolVersion, signature, signedMessage);
// it is checked for that shape only: decrypting it is the bank's job.
export function isGooglePayToken(value: unknown): boolean {
  if (typeof value !== 'string' || value.length < 2 || value.length > 16384) return false;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
    const { protocolVersion, signedMessage } = parsed as Record<string, unknown>;
    return typeof protocolVersion === 'string' && typeof signedMessage === 'string' && signedMessage.length > 0;
  } catch {
    return false;
  }
}

// The /payment/cryptopay body for Google Pay (S0): the shared payment fields plus paymentType
// googlePay and the PaymentData subset the seed shows (email, addresses and the like stay with us).
export function buildGooglePayBody(
  commonBody: Record<string, unknown>,
  pd: GooglePayPaymentData,
): Record<string, unknown> {
  const pmd = pd.paymentMethodData;
  return {
    ...commonBody,
    // a wallet token is not a card we can save (S0 sends false)
    cardSave: false,
    useBonus: false,
    paymentType: 'googlePay',
    googlePay: {
      apiVersionMinor: pd.apiVersionMinor,
      apiVersion: pd.apiVersion,
      paymentMethodData: {
        description: pmd.description,
        tokenizationData: { type: pmd.tokenizationData.type, token: pmd.tokenizationData.token },
        type: pmd.type,
        info: { cardNetwork: pmd.info.cardNetwork, cardDetails: pmd.info.cardDetails },
      },
    },
  };
}
