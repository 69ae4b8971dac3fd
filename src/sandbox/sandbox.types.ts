// Public types of the ePay sandbox. Amounts inside the store are integer minor units (tiyn);
// the wire format and the views returned by SandboxControl use ePay's decimal numbers.

export type CaptureMode = 'CHARGE' | 'AUTH';

export type StatusName = 'NEW' | 'AUTH' | 'CHARGE' | 'CANCEL' | 'CANCEL_OLD' | 'REFUND' | 'FAILED' | '3D' | 'REJECT';

export interface PostLinkOptions {
  delayMs?: number;
  duplicates?: number; // extra copies of every callback (0 = exactly one delivery)
  dropRate?: number; // 0..1 share of attempts silently not sent (0 and 1 are deterministic)
  timeoutMs?: number; // per attempt, default 5000
}

// Where the bank's own documents are stricter (or stranger) than this emulator's defaults. Each is off
// by default; `seedQuirks: 'all'` behaves exactly like the seeds' samples.
export interface SeedQuirks {
  // postLink bodies exactly as seed 001 prints them: no secret_hash
  postLinkWithoutSecretHash?: boolean;
  // P2P only at seed 003's POST /payments/cards/auth; the SDK's /p2p/transfer (and /chdebit, /chpayment) → 404
  p2pSeedPathOnly?: boolean;
  // payment replies in the seeds' literal text: seed 002's `"secure3D":no` (not valid JSON)
  literalReplies?: boolean;
}

export interface SandboxOptions {
  seedQuirks?: SeedQuirks | 'all';
  port?: number;
  host?: string;
  latencyMs?: number;
  clientId?: string;
  clientSecret?: string;
  terminalId?: string;
  captureMode?: CaptureMode;
  tokenTtlSeconds?: number;
  expiresInAsString?: boolean;
  privateKeyPem?: string;
  postLink?: PostLinkOptions;
  // default false: a refund with an externalID already seen is made again (no document says the bank
  // de-duplicates); true answers the first refund's result
  dedupeExternalId?: boolean;
  logger?: (line: string) => void;
}

export type FaultType =
  'timeout' | 'http500' | 'http502' | 'malformed' | 'reset' | 'commit-then-timeout' | 'commit-then-500';

export interface FaultSpec {
  // A route name (see ROUTE_NAMES) matches that route only; any other string matches as a substring of the path.
  path: string;
  type: FaultType;
  times?: number; // default 1; a negative number means "until cleared"
  delayMs?: number; // wait before the fault acts (timeout: then drop the socket instead of hanging forever)
}

export interface ActiveFault extends Required<Omit<FaultSpec, 'delayMs'>> {
  id: number;
  delayMs: number;
  hits: number;
}

export interface RefundRecord {
  amountMinor: number;
  externalId?: string;
  at: string;
}

export interface ThreeDsSession {
  md: string;
  paReq: string;
  paRes?: string; // base64 of the opaque value issued by the ACS
  acsApproved?: boolean;
  confirmed: boolean;
}

export interface PaymentTransaction {
  kind: 'payment';
  id: string;
  invoiceId: string;
  invoiceIdAlt: string;
  amountMinor: number;
  orgAmountMinor: number;
  currency: string;
  statusName: StatusName;
  statusId: string;
  reasonCode: number;
  reason: string;
  cardMask: string;
  cardType: string;
  issuer: string;
  approvalCode: string;
  reference: string;
  intReference: string;
  accountId: string;
  cardId: string;
  cardSave: boolean;
  terminal: string; // terminal UUID
  postLink: string;
  failurePostLink: string;
  backLink: string;
  failureBackLink: string;
  secretHash: string;
  data: string;
  description: string;
  email: string;
  phone: string;
  name: string;
  language: string;
  paymentType: string;
  secure: boolean;
  ip: string;
  createdDate: string; // ePay style, Almaty offset
  createdAt: number; // epoch ms, for registry filters
  refunds: RefundRecord[];
  threeDs?: ThreeDsSession;
  pendingChecksLeft?: number; // 454 card: status answers 107 this many more times
  cardProfileKey?: string; // which test-card behaviour to reuse when the card is saved (never the PAN)
  cardHash?: string;
}

export interface TransferTransaction {
  kind: 'transfer';
  id: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  statusName: StatusName;
  reasonCode: number;
  reason: string;
  accountId: string;
  email: string;
  description: string;
  reference: string;
  intReference: string;
  approvalCode: string;
  senderCardId: string;
  senderCardMask: string;
  senderCardType: string;
  senderTransferType: string;
  receiverCardId: string;
  receiverCardMask: string;
  receiverCardType: string;
  receiverTransferType: string;
  terminal: string;
  postLink: string;
  failurePostLink: string;
  secretHash: string;
  endpoint: string;
  createdDate: string;
  createdAt: number;
}

export interface SavedCard {
  id: string;
  accountId: string;
  transactionId: string;
  cardHash: string;
  cardMask: string; // cards list style "4405...2283"
  paymentCardMask: string; // payment/status style "440563...2283"
  cardType: string;
  issuer: string;
  payerName: string;
  reference: string;
  intReference: string;
  token: string;
  terminal: string;
  createdDate: string;
  active: boolean;
  profileKey: string;
}

export interface TokenRecord {
  accessToken: string;
  grantType: string;
  scope: string;
  clientId: string;
  terminal?: string;
  invoiceId?: string;
  amountMinor?: number;
  currency?: string;
  postLink?: string;
  failurePostLink?: string;
  secretHash?: string;
  expiresAt: number;
}

export interface PostLinkDelivery {
  seq: number;
  invoiceId: string;
  transactionId: string;
  kind: 'payment' | 'transfer';
  outcome: 'success' | 'failure';
  url: string;
  body: Record<string, unknown>;
  attempt: number; // 1 = original, 2.. = duplicates
  dropped: boolean;
  status?: number;
  error?: string;
  at: string;
  durationMs?: number;
  reason: 'outcome' | 'resend' | 'out-of-order';
}

export interface PaymentView extends Omit<PaymentTransaction, 'refunds'> {
  amount: number;
  orgAmount: number;
  refunds: Array<RefundRecord & { amount: number }>;
}

export interface TransferView extends TransferTransaction {
  amount: number;
}

export interface SandboxControl {
  reset(): void;
  setCaptureMode(mode: CaptureMode): void;
  setLatency(ms: number): void;
  setPostLink(opts: PostLinkOptions): void;
  addFault(fault: FaultSpec): ActiveFault;
  clearFaults(): void;
  listFaults(): ActiveFault[];
  getTransaction(invoiceId: string): PaymentView | undefined; // latest attempt on the invoice
  getTransactionById(id: string): PaymentView | undefined;
  listTransactions(): PaymentView[];
  getTransfer(orderId: string): TransferView | undefined;
  listTransfers(): TransferView[];
  getDeliveries(): PostLinkDelivery[];
  setStatusOverride(invoiceId: string, resultCode: string | null): void;
  expireAuth(invoiceId: string): PaymentView;
  setPendingStatusChecks(n: number): void;
  setDedupeExternalId(on: boolean): void; // false: a repeated refund externalID refunds again // how many 107 answers a 454 payment gives (default 2)
  requestCount(routeName?: string): number; // no name = all ePay requests
  requestCounts(): Record<string, number>;
  resendPostLink(invoiceId: string): Promise<PostLinkDelivery[]>;
  deliverOutOfOrder(invoiceId: string): Promise<PostLinkDelivery[]>;
  flushPostLinks(): Promise<void>; // resolves when every scheduled delivery has finished
}
