// Normalised shapes of what ePay returns (API.md). Amounts are minor units; `raw` keeps the reply.

export interface EpayToken {
  accessToken: string;
  expiresInSeconds: number;
  scope: string;
  // the reply object as ePay sent it (the widget gets it "transmitted completely as an object", S1)
  raw?: Record<string, unknown>;
}

export interface EpaySecure3D {
  paReq: string;
  md: string;
  action: string;
  termUrl?: string;
}

export interface EpayPaymentReply {
  transactionId?: string;
  invoiceId?: string;
  // AUTH | CHARGE | NEW | 3D ... as the bank wrote it, upper-cased
  status?: string;
  reference?: string;
  intReference?: string;
  approvalCode?: string;
  cardId?: string;
  cardMask?: string;
  cardType?: string;
  issuer?: string;
  amountMinor?: number;
  code?: number;
  secure3D?: EpaySecure3D;
}

export interface EpayTransaction {
  id?: string;
  invoiceId?: string;
  statusName?: string;
  amountMinor?: number;
  orgAmountMinor?: number;
  currency?: string;
  reference?: string;
  intReference?: string;
  approvalCode?: string;
  cardMask?: string;
  cardType?: string;
  issuer?: string;
  cardId?: string;
  reasonCode?: number;
  reason?: string;
  secure?: boolean;
  createdDate?: string;
}

export interface EpayStatusReply {
  resultCode: number;
  resultMessage?: string;
  transaction?: EpayTransaction;
}

export interface EpaySavedCard {
  cardId: string;
  cardMask?: string;
  accountId?: string;
  payerName?: string;
  paymentAvailable?: boolean;
  createdDate?: string;
}

export interface EpayP2pReply {
  transactionId?: string;
  orderId?: string;
  status?: string;
  reference?: string;
  intReference?: string;
  senderCardId?: string;
  senderCardMask?: string;
  senderCardType?: string;
  receiverCardId?: string;
  receiverCardMask?: string;
  receiverCardType?: string;
  amountMinor?: number;
  feeMinor?: number;
  secure3D?: EpaySecure3D;
}

export interface EpayRegistryRecord {
  id?: string;
  invoiceId?: string;
  reference?: string;
  amountMinor?: number;
  orgAmountMinor?: number;
  currency?: string;
  status?: string;
  createdDate?: string;
  cardMask?: string;
}
