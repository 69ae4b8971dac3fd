import type { Request, Response } from 'express';
import { bool, str, type Json } from './sandbox-body.util';
import { epayDate, newApprovalCode, newId, newIntReference, newReference } from './sandbox-format.util';
import { EMU_CODES, EPAY_CODES, NOT_PERMITTED_MESSAGE, sendPaymentError } from './sandbox-http.util';
import { toDecimal, toMinor } from './sandbox-money.util';
import type { CardProfile } from './sandbox-test-cards.constant';
import { CARD_PROFILES } from './sandbox-test-cards.constant';
import type { SandboxContext } from './sandbox.context';
import type { PaymentTransaction, TokenRecord } from './sandbox.types';

// Shared by /payment/cryptopay, /payments/cards/auth (cardId), /payment/confirm and the widget.

export interface PaymentRequest {
  invoiceId: string;
  invoiceIdAlt: string;
  amountMinor: number;
  currency: string;
  terminalId?: string;
  name: string;
  description: string;
  accountId: string;
  email: string;
  phone: string;
  postLink?: string;
  failurePostLink?: string;
  backLink: string;
  failureBackLink: string;
  data: string;
  language: string;
  cardSave: boolean;
  paymentType: string;
}

export interface RejectReason {
  code: number;
  message: string;
}

export interface ResolvedCard {
  profile: CardProfile;
  cardMask: string;
  cardType: string;
  issuer: string;
  cardHash?: string; // set only for real PANs, so cardSave can work
  shortMask?: string;
}

const PAID_STATUSES = new Set(['AUTH', 'CHARGE', 'REFUND', 'CANCEL', 'CANCEL_OLD']);
const FAILED_STATUSES = new Set(['FAILED', 'REJECT', '3D']);
export const MAX_FAILED_ATTEMPTS = 3;

export function readPaymentRequest(body: Json): PaymentRequest | RejectReason {
  const invoiceId = str(body, 'invoiceId');
  const amountMinor = toMinor(body.amount ?? str(body, 'amount'));
  const currency = str(body, 'currency', 'curency');
  if (!invoiceId) return { code: EPAY_CODES.formatError, message: 'invoiceId is required' };
  if (amountMinor === undefined) return { code: EPAY_CODES.invalidAmount, message: 'Invalid amount' };
  if (!currency) return { code: EPAY_CODES.formatError, message: 'currency is required' };
  return {
    invoiceId,
    invoiceIdAlt: str(body, 'invoiceIdAlt') ?? '',
    amountMinor,
    currency,
    terminalId: str(body, 'terminalId', 'terminal'),
    name: str(body, 'name') ?? '',
    description: str(body, 'description') ?? '',
    accountId: str(body, 'accountId') ?? '',
    email: (str(body, 'email') ?? '').trim(),
    phone: str(body, 'phone') ?? '',
    postLink: str(body, 'postLink'),
    failurePostLink: str(body, 'failurePostLink'),
    backLink: str(body, 'backLink') ?? '',
    failureBackLink: str(body, 'failureBackLink') ?? '',
    data: str(body, 'data') ?? '',
    language: str(body, 'language') ?? 'rus',
    cardSave: bool(body, 'cardSave'),
    paymentType: str(body, 'paymentType') ?? '',
  };
}

// Payment tokens are bound to invoice, amount, currency and terminal (API.md §1: an inference, M).
export function checkBinding(token: TokenRecord, p: PaymentRequest, terminalId: string): RejectReason | undefined {
  // GUESS (1001): the bank publishes no error for a mismatching token.
  const mismatch = { code: EMU_CODES.tokenMismatch, message: 'token does not match the invoice' };
  if (token.invoiceId === undefined || token.invoiceId !== p.invoiceId) return mismatch;
  if (token.amountMinor === undefined || token.amountMinor !== p.amountMinor) return mismatch;
  if (token.currency !== undefined && token.currency.toUpperCase() !== p.currency.toUpperCase()) return mismatch;
  if (p.terminalId !== undefined && token.terminal !== undefined && token.terminal !== p.terminalId) return mismatch;
  const terminal = token.terminal ?? p.terminalId;
  if (terminal !== terminalId) return { code: EPAY_CODES.invalidMerchant, message: 'Invalid merchant' };
  return undefined;
}

// Invoice rules (API.md §12). GUESS: 487 for an invoice that already holds money or is being processed,
// 505 once three attempts have failed; the bank documents neither response.
export function checkInvoice(ctx: SandboxContext, invoiceId: string): RejectReason | undefined {
  if (!/^\d{6,15}$/.test(invoiceId)) {
    return { code: EPAY_CODES.formatError, message: 'invoiceId must be 6 to 15 digits' };
  }
  const attempts = ctx.store.paymentsFor(invoiceId);
  const busy = attempts.some((a) => PAID_STATUSES.has(a.statusName) || (a.statusName === 'NEW' && !a.threeDs));
  if (busy) return { code: EPAY_CODES.notPermitted, message: NOT_PERMITTED_MESSAGE };
  if (attempts.filter((a) => FAILED_STATUSES.has(a.statusName)).length >= MAX_FAILED_ATTEMPTS) {
    return { code: EPAY_CODES.tooManyAttempts, message: 'Exceeded the number of 3 transactions' };
  }
  // "If your order number contains more than 6 characters, the last 6 must also be unique" (S0, S1, S3)
  const tail = invoiceId.slice(-6);
  const clash = ctx.store.knownInvoiceIds().some((other) => other !== invoiceId && other.slice(-6) === tail);
  if (clash) return { code: EPAY_CODES.notPermitted, message: NOT_PERMITTED_MESSAGE };
  return undefined;
}

// A new attempt abandons a 3-D Secure session left open on the same invoice.
export function abandonOpenThreeDs(ctx: SandboxContext, invoiceId: string): void {
  for (const a of ctx.store.paymentsFor(invoiceId)) {
    if (a.statusName === 'NEW' && a.threeDs && !a.threeDs.confirmed) {
      a.statusName = '3D';
      a.reasonCode = 473;
      a.reason = '3DS session abandoned';
      a.threeDs.confirmed = true;
    }
  }
}

export function clientIp(req: Request): string {
  return (req.ip ?? '').replace(/^::ffff:/, '');
}

export function createPayment(
  ctx: SandboxContext,
  p: PaymentRequest,
  token: TokenRecord,
  card: ResolvedCard,
  ip: string,
): PaymentTransaction {
  const now = Date.now();
  const txn: PaymentTransaction = {
    kind: 'payment',
    id: newId(),
    invoiceId: p.invoiceId,
    invoiceIdAlt: p.invoiceIdAlt,
    amountMinor: p.amountMinor,
    orgAmountMinor: p.amountMinor,
    currency: p.currency,
    statusName: 'NEW',
    statusId: newId(),
    reasonCode: 0,
    reason: '',
    cardMask: card.cardMask,
    cardType: card.cardType,
    issuer: card.issuer,
    approvalCode: '',
    reference: '',
    intReference: '',
    accountId: p.accountId,
    cardId: '',
    cardSave: p.cardSave,
    terminal: ctx.store.config.terminalId,
    postLink: p.postLink || token.postLink || '',
    failurePostLink: p.failurePostLink || token.failurePostLink || '',
    backLink: p.backLink,
    failureBackLink: p.failureBackLink,
    secretHash: token.secretHash ?? '',
    data: p.data,
    description: p.description,
    email: p.email,
    phone: p.phone,
    name: p.name,
    language: p.language,
    paymentType: p.paymentType || 'card',
    secure: false,
    ip,
    createdDate: epayDate(now),
    createdAt: now,
    refunds: [],
    cardProfileKey: card.profile.key,
    cardHash: card.cardHash,
  };
  abandonOpenThreeDs(ctx, p.invoiceId);
  ctx.store.addPayment(txn);
  return txn;
}

// Moves the payment to its approved state (AUTH or CHARGE per terminal mode) and fires postLink.
export function approvePayment(ctx: SandboxContext, txn: PaymentTransaction, shortMask?: string): void {
  txn.statusName = ctx.store.settings.captureMode;
  txn.statusId = newId();
  txn.reasonCode = 0;
  txn.reason = 'success';
  txn.approvalCode = newApprovalCode();
  txn.reference = newReference();
  txn.intReference = newIntReference();
  txn.pendingChecksLeft = undefined;
  if (txn.cardSave && txn.accountId && txn.cardHash) {
    const saved = ctx.store.saveCard({
      id: newId(),
      accountId: txn.accountId,
      transactionId: txn.id,
      cardHash: txn.cardHash,
      cardMask: shortMask ?? `${txn.cardMask.slice(0, 4)}...${txn.cardMask.slice(-4)}`,
      paymentCardMask: txn.cardMask,
      cardType: txn.cardType,
      issuer: txn.issuer,
      payerName: txn.name,
      reference: txn.reference,
      intReference: txn.intReference,
      token: newId(),
      terminal: txn.terminal,
      createdDate: epayDate(),
      active: true,
      profileKey: txn.cardProfileKey ?? CARD_PROFILES.approve.key,
    });
    txn.cardId = saved.id;
  }
  ctx.postLinks.dispatch(txn);
}

export function declinePayment(ctx: SandboxContext, txn: PaymentTransaction, profile: CardProfile): void {
  txn.statusName = profile.statusName ?? 'FAILED';
  txn.statusId = newId();
  txn.reasonCode = profile.reasonCode;
  txn.reason = profile.message;
  ctx.postLinks.dispatch(txn);
}

// §3 success body (S2). Key casing is the bank's: invoiceID, accountID, cardID.
export function successBody(txn: PaymentTransaction): Json {
  return {
    id: txn.id,
    amount: toDecimal(txn.amountMinor),
    amountBonus: 0,
    currency: txn.currency,
    invoiceID: txn.invoiceId,
    invoiceIdAlt: txn.invoiceIdAlt,
    accountID: txn.accountId,
    phone: txn.phone,
    email: txn.email,
    description: txn.description,
    reference: txn.reference,
    intReference: txn.intReference,
    secure3D: null,
    cardID: txn.cardId,
    language: txn.language,
    fee: 0,
    code: 0,
    status: txn.statusName,
  };
}

// §4 3-D Secure body (S2 sample: "accountId", "invoiceID", empty references). "status" is the sandbox's addition.
export function threeDsBody(txn: PaymentTransaction, action: string): Json {
  return {
    id: txn.id,
    accountId: txn.accountId,
    amount: toDecimal(txn.amountMinor),
    amountBonus: 0,
    currency: txn.currency,
    description: txn.description,
    email: txn.email,
    invoiceID: txn.invoiceId,
    invoiceIdAlt: txn.invoiceIdAlt,
    language: txn.language,
    phone: txn.phone,
    reference: '',
    intReference: '',
    secure3D: { paReq: txn.threeDs!.paReq, md: txn.threeDs!.md, action },
    cardID: '',
    fee: 0,
    status: 'NEW',
  };
}

export function startThreeDs(txn: PaymentTransaction): void {
  const md = `${Math.floor(100_000_000 + Math.random() * 899_999_999)}-${newIntReference()}`;
  // 3DS2 tunnelled through the 3DS1 fields, like S4's paReq (base64 JSON starting {"messageType"...)
  const paReq = Buffer.from(
    JSON.stringify({ messageType: 'CReq', messageVersion: '2.1.0', threeDSServerTransID: newId(), acsTransID: txn.id }),
  ).toString('base64');
  txn.secure = true;
  txn.threeDs = { md, paReq, confirmed: false };
}

// Replies for a freshly created payment according to the card's behaviour.
export function finishPayment(
  ctx: SandboxContext,
  res: Response,
  txn: PaymentTransaction,
  card: ResolvedCard,
  opts: { acsAction: string; allowThreeDs: boolean },
): void {
  const { profile } = card;
  if (profile.outcome === 'decline') {
    declinePayment(ctx, txn, profile);
    sendPaymentError(res, profile.reasonCode, profile.message, {
      invoiceId: txn.invoiceId,
      id: txn.id,
      accountId: txn.accountId,
    });
    return;
  }
  if (profile.outcome === 'pending') {
    // 454: not final; stays NEW until the status has been asked for pendingStatusChecks times.
    txn.reasonCode = profile.reasonCode;
    txn.reason = profile.message;
    txn.pendingChecksLeft = ctx.store.settings.pendingStatusChecks;
    sendPaymentError(res, profile.reasonCode, profile.message, {
      invoiceId: txn.invoiceId,
      id: txn.id,
      accountId: txn.accountId,
    });
    return;
  }
  if (profile.outcome === '3ds' && opts.allowThreeDs) {
    startThreeDs(txn);
    res.status(200).json(threeDsBody(txn, opts.acsAction));
    return;
  }
  approvePayment(ctx, txn, card.shortMask);
  if (ctx.store.config.quirks.literalReplies) {
    // seed 002's sample as printed: `"secure3D":no,` is not JSON
    res
      .status(200)
      .type('application/json')
      .send(JSON.stringify(successBody(txn)).replace('"secure3D":null', '"secure3D":no'));
    return;
  }
  res.status(200).json(successBody(txn));
}
