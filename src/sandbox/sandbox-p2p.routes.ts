import { Router, type Request, type Response } from 'express';
import { bool, obj, str, type Json } from './sandbox-body.util';
import {
  cardTypeOf,
  epayDate,
  luhnValid,
  maskPan,
  newApprovalCode,
  newId,
  newIntReference,
  newReference,
} from './sandbox-format.util';
import { EMU_CODES, EPAY_CODES, NOT_PERMITTED_MESSAGE, requireToken, sendPaymentError } from './sandbox-http.util';
import { toDecimal, toMinor } from './sandbox-money.util';
import { fromPlainCard } from './sandbox-payment-methods.util';
import { MAX_FAILED_ATTEMPTS, type RejectReason } from './sandbox-payment.service';
import { profileByKey, type CardProfile } from './sandbox-test-cards.constant';
import type { SandboxContext } from './sandbox.context';
import type { TransferTransaction } from './sandbox.types';

// P2P (S3, SDK): no cryptogram; the sender card travels in clear (cardCred + expire + cvc) or as a saved cardID.

interface Side {
  transferType: string;
  cardId: string;
  mask: string;
  cardType: string;
  profile?: CardProfile; // sender only
  cardHash?: string;
  shortMask?: string;
  issuer?: string;
}

type SideResult = { side: Side } | { reject: RejectReason };

function readSender(ctx: SandboxContext, sender: Json, accountId: string): SideResult {
  const transferType = (str(sender, 'transferType') ?? '').toUpperCase();
  const cred = str(sender, 'cardCred') ?? '';
  if (transferType === 'TYPEPAN' || transferType === 'TYPECARD') {
    const expire = obj(sender, 'expire');
    const exp = `${(str(expire, 'month') ?? '').padStart(2, '0')}${(str(expire, 'year') ?? '').slice(-2)}`;
    const card = fromPlainCard(ctx, cred, exp, str(sender, 'cvc') ?? '');
    return {
      side: {
        transferType,
        cardId: '',
        mask: card.cardMask,
        cardType: card.cardType,
        profile: card.profile,
        cardHash: card.cardHash,
        shortMask: card.shortMask,
        issuer: card.issuer,
      },
    };
  }
  if (transferType === 'TYPECARDID') {
    const saved = ctx.store.cards.get(cred);
    if (!saved || !saved.active || (accountId && saved.accountId !== accountId)) {
      return { reject: { code: EPAY_CODES.noSuchCard, message: 'No such card' } };
    }
    return {
      side: {
        transferType,
        cardId: saved.id,
        mask: saved.paymentCardMask,
        cardType: saved.cardType,
        profile: profileByKey(saved.profileKey),
      },
    };
  }
  return { reject: { code: EPAY_CODES.formatError, message: 'unsupported sender transferType' } };
}

function readReceiver(ctx: SandboxContext, receiver: Json): SideResult {
  const transferType = (str(receiver, 'transferType') ?? '').toUpperCase();
  const cred = (str(receiver, 'cardCred') ?? '').replace(/\s/g, '');
  if (transferType === 'TYPEPAN' || transferType === 'TYPECARD') {
    if (!luhnValid(cred)) return { reject: { code: EPAY_CODES.noSuchCard, message: 'No such card' } };
    return { side: { transferType, cardId: '', mask: maskPan(cred), cardType: cardTypeOf(cred) } };
  }
  if (transferType === 'TYPECARDID') {
    const saved = ctx.store.cards.get(cred);
    if (!saved || !saved.active) return { reject: { code: EPAY_CODES.noSuchCard, message: 'No such card' } };
    return { side: { transferType, cardId: saved.id, mask: saved.paymentCardMask, cardType: saved.cardType } };
  }
  return { reject: { code: EPAY_CODES.formatError, message: 'unsupported receiver transferType' } };
}

export function handleTransfer(ctx: SandboxContext, req: Request, res: Response): void {
  const token = requireToken(ctx.store, req, res);
  if (!token) return;
  const body = req.body as Json;
  const order = obj(body, 'order') ?? {};
  const card = obj(body, 'card') ?? {};
  const orderId = str(order, 'id') ?? '';
  const accountId = str(order, 'accountId') ?? '';
  const refs = { invoiceId: orderId, accountId };
  const amountMinor = toMinor(order.amount ?? str(order, 'amount'));
  const currency = str(order, 'currency') ?? '';
  const sender = obj(card, 'sender');
  const receiver = obj(card, 'receiver');
  if (!orderId || !currency || !sender || !receiver)
    return sendPaymentError(res, EPAY_CODES.formatError, 'format error', refs);
  if (amountMinor === undefined || amountMinor <= 0)
    return sendPaymentError(res, EPAY_CODES.invalidAmount, 'Invalid amount', refs);

  // GUESS (1001): transfer tokens carry scope "transfer" and are bound like payment tokens.
  const orderTerminal = str(order, 'terminalId');
  const bound =
    token.scope.split(/\s+/).includes('transfer') &&
    token.invoiceId === orderId &&
    token.amountMinor === amountMinor &&
    (token.currency === undefined || token.currency.toUpperCase() === currency.toUpperCase()) &&
    (orderTerminal === undefined || token.terminal === undefined || token.terminal === orderTerminal);
  if (!bound) return sendPaymentError(res, EMU_CODES.tokenMismatch, 'token does not match the transfer', refs);
  if ((token.terminal ?? orderTerminal) !== ctx.store.config.terminalId) {
    return sendPaymentError(res, EPAY_CODES.invalidMerchant, 'Invalid merchant', refs);
  }
  const attempts = ctx.store.transfersFor(orderId);
  if (attempts.some((t) => t.statusName === 'CHARGE'))
    return sendPaymentError(res, EPAY_CODES.notPermitted, NOT_PERMITTED_MESSAGE, refs);
  if (attempts.filter((t) => t.statusName !== 'CHARGE').length >= MAX_FAILED_ATTEMPTS) {
    return sendPaymentError(res, EPAY_CODES.tooManyAttempts, 'Exceeded the number of 3 transactions', refs);
  }

  const s = readSender(ctx, sender, accountId);
  if ('reject' in s) return sendPaymentError(res, s.reject.code, s.reject.message, refs);
  const rcv = readReceiver(ctx, receiver);
  if ('reject' in rcv) return sendPaymentError(res, rcv.reject.code, rcv.reject.message, refs);

  const now = Date.now();
  const t: TransferTransaction = {
    kind: 'transfer',
    id: newId(),
    orderId,
    amountMinor,
    currency,
    statusName: 'NEW',
    reasonCode: 0,
    reason: '',
    accountId,
    email: str(order, 'senderEmail') ?? '',
    description: str(order, 'description') ?? '',
    reference: '',
    intReference: '',
    approvalCode: '',
    senderCardId: s.side.cardId,
    senderCardMask: s.side.mask,
    senderCardType: s.side.cardType,
    senderTransferType: s.side.transferType,
    receiverCardId: rcv.side.cardId,
    receiverCardMask: rcv.side.mask,
    receiverCardType: rcv.side.cardType,
    receiverTransferType: rcv.side.transferType,
    terminal: ctx.store.config.terminalId,
    postLink: str(order, 'postLink') || token.postLink || '',
    failurePostLink: str(order, 'failurePostLink') || token.failurePostLink || '',
    secretHash: token.secretHash ?? '',
    endpoint: req.path,
    createdDate: epayDate(now),
    createdAt: now,
  };
  ctx.store.addTransfer(t);
  const profile = s.side.profile!;
  ctx.log(`transfer ${orderId} ${t.id} sender ${t.senderCardMask} -> ${profile.outcome}`);

  // GUESS: transfers never ask for 3-D Secure and never pend here; only declines are honoured.
  if (profile.outcome === 'decline') {
    t.statusName = profile.statusName ?? 'FAILED';
    t.reasonCode = profile.reasonCode;
    t.reason = profile.message;
    ctx.postLinks.dispatch(t);
    return sendPaymentError(res, profile.reasonCode, profile.message, { ...refs, id: t.id });
  }
  t.statusName = 'CHARGE';
  t.reason = 'success';
  t.reference = newReference();
  t.intReference = newIntReference();
  t.approvalCode = newApprovalCode();
  if (bool(sender, 'save') && accountId && s.side.cardHash) {
    const saved = ctx.store.saveCard({
      id: newId(),
      accountId,
      transactionId: t.id,
      cardHash: s.side.cardHash,
      cardMask: s.side.shortMask ?? s.side.mask,
      paymentCardMask: s.side.mask,
      cardType: s.side.cardType,
      issuer: s.side.issuer ?? '',
      payerName: str(sender, 'name') ?? '',
      reference: t.reference,
      intReference: t.intReference,
      token: newId(),
      terminal: t.terminal,
      createdDate: epayDate(),
      active: true,
      profileKey: profile.key,
    });
    t.senderCardId = saved.id;
  }
  ctx.postLinks.dispatch(t);
  res.status(200).json(transferBody(t));
}

// Seed S3 success body. GUESS: fee is always 0 ("not used").
export function transferBody(t: TransferTransaction): Json {
  return {
    id: t.id,
    amount: toDecimal(t.amountMinor),
    fee: 0,
    accountID: t.accountId,
    currency: t.currency,
    email: t.email,
    description: t.description,
    reference: t.reference,
    orderID: t.orderId,
    senderCardID: t.senderCardId,
    senderCardPAN: t.senderCardMask,
    senderCardType: t.senderCardType,
    senderTransferType: t.senderTransferType,
    receiverCardID: t.receiverCardId,
    receiverCardPAN: t.receiverCardMask,
    receiverCardType: t.receiverCardType,
    receiverTransferType: t.receiverTransferType,
    intReference: t.intReference,
    terminalID: t.terminal,
    status: t.statusName,
  };
}

export function p2pRoutes(ctx: SandboxContext): Router {
  const r = Router();
  for (const path of ['/p2p/transfer', '/chdebit/transfer', '/chpayment/transfer']) {
    // seed 003 knows only /payments/cards/auth: a seed-faithful bank has no such route
    r.post(path, (req, res, next) =>
      ctx.store.config.quirks.p2pSeedPathOnly ? next() : handleTransfer(ctx, req, res),
    );
  }
  return r;
}
