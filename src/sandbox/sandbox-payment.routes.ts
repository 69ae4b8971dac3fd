import { Router, type Request, type Response } from 'express';
import { obj, str, type Json } from './sandbox-body.util';
import { EMU_CODES, EPAY_CODES, requireToken, rootUrlOf, sendOpError, sendPaymentError } from './sandbox-http.util';
import { resolvePaymentMethod, type MethodResult } from './sandbox-payment-methods.util';
import {
  checkBinding,
  checkInvoice,
  clientIp,
  createPayment,
  finishPayment,
  readPaymentRequest,
  type PaymentRequest,
} from './sandbox-payment.service';
import { handleTransfer } from './sandbox-p2p.routes';
import { profileByKey } from './sandbox-test-cards.constant';
import { checkConfirm, completeThreeDs, confirmResultUrl, resultPage } from './sandbox-three-ds.service';
import type { SandboxContext } from './sandbox.context';

type MethodResolver = (p: PaymentRequest, body: Json) => MethodResult;

// Common pipeline: token → body → binding → invoice rules → payment method → issuer outcome.
export function processPayment(ctx: SandboxContext, req: Request, res: Response, resolve: MethodResolver): void {
  const token = requireToken(ctx.store, req, res);
  if (!token) return;
  const body = req.body as Json;
  const refs = { invoiceId: str(body, 'invoiceId') ?? '', accountId: str(body, 'accountId') };
  const p = readPaymentRequest(body);
  if ('code' in p) return sendPaymentError(res, p.code, p.message, refs);
  const reject = checkBinding(token, p, ctx.store.config.terminalId) ?? checkInvoice(ctx, p.invoiceId);
  if (reject) return sendPaymentError(res, reject.code, reject.message, refs);
  const method = resolve(p, body);
  if (method.reject || !method.card) {
    const r = method.reject ?? { code: EPAY_CODES.formatError, message: 'format error' };
    return sendPaymentError(res, r.code, r.message, refs);
  }
  const txn = createPayment(ctx, p, token, method.card, clientIp(req));
  if (method.savedCardId) txn.cardId = method.savedCardId;
  ctx.log(`payment ${txn.invoiceId} ${txn.id} card ${txn.cardMask} -> ${method.card.profile.outcome}`);
  finishPayment(ctx, res, txn, method.card, { acsAction: `${rootUrlOf(req)}/acs`, allowThreeDs: method.allowThreeDs });
}

// Saved card (§5): the card must belong to the body's accountId; 3-D Secure is skipped.
function resolveSavedCard(ctx: SandboxContext, p: PaymentRequest, body: Json): MethodResult {
  const id = str(obj(body, 'cardId'), 'id') ?? str(body, 'cardId');
  const card = id ? ctx.store.cards.get(id) : undefined;
  if (!card || !card.active || card.accountId !== p.accountId) {
    return { reject: { code: EPAY_CODES.noSuchCard, message: 'No such card' }, allowThreeDs: false };
  }
  return {
    card: {
      profile: profileByKey(card.profileKey),
      cardMask: card.paymentCardMask,
      shortMask: card.cardMask,
      cardType: card.cardType,
      issuer: card.issuer,
      cardHash: card.cardHash,
    },
    savedCardId: card.id,
    allowThreeDs: false,
  };
}

export function paymentRoutes(ctx: SandboxContext): Router {
  const r = Router();

  r.post('/payment/cryptopay', (req, res) =>
    processPayment(ctx, req, res, (p, body) => resolvePaymentMethod(ctx, body, p.paymentType)),
  );

  // Saved-card payments and (S3) P2P transfers share this URL; the body tells them apart.
  r.post('/payments/cards/auth', (req, res) => {
    const body = req.body as Json;
    if (obj(body, 'order') && obj(body, 'card')) return handleTransfer(ctx, req, res);
    processPayment(ctx, req, res, (p) => resolveSavedCard(ctx, p, body));
  });

  // Merchant-hosted TermUrl flow (S2/S4): {"ID","PaRes","MD"} → HTML "redirect" page, HTTP 200.
  r.post('/payment/confirm', (req, res) => {
    const token = requireToken(ctx.store, req, res);
    if (!token) return;
    const body = req.body as Json;
    const check = checkConfirm(ctx, str(body, 'ID'), str(body, 'MD'));
    if ('code' in check) return sendOpError(res, check.code, check.message);
    const { txn } = check;
    if (token.invoiceId !== undefined && token.invoiceId !== txn.invoiceId) {
      return sendOpError(res, EMU_CODES.tokenMismatch, 'token does not match the invoice');
    }
    const ok = completeThreeDs(ctx, txn, str(body, 'PaRes'));
    const url = confirmResultUrl(rootUrlOf(req), txn, ok);
    res
      .status(200)
      .type('html')
      .send(resultPage(ok, url, txn));
  });

  // Gateway-hosted TermUrl (SDK): the ACS posts PaRes/MD here with ?Access=<token>; we finish and redirect to
  // backLink?reference=… or failureBackLink?errorCode=…
  r.post('/payments/cards/confirmPayment', (req, res) => {
    const body = req.body as Json;
    const token = ctx.store.validToken(str(req.query, 'Access') ?? str(body, 'Access'));
    if (!token) return void res.status(401).json({ code: 401, message: 'unauthorized' });
    const md = str(body, 'MD');
    const check = checkConfirm(ctx, md ? ctx.store.paymentByMd(md)?.id : undefined, md);
    if ('code' in check) return sendOpError(res, check.code, check.message);
    const { txn } = check;
    const ok = completeThreeDs(ctx, txn, str(body, 'PaRes'));
    const back = ok ? txn.backLink : txn.failureBackLink || txn.backLink;
    if (back) {
      const sep = back.includes('?') ? '&' : '?';
      const q = ok ? `reference=${encodeURIComponent(txn.reference)}` : `errorCode=${txn.reasonCode}`;
      return res.redirect(302, `${back}${sep}${q}`);
    }
    res
      .status(200)
      .type('html')
      .send(resultPage(ok, confirmResultUrl(rootUrlOf(req), txn, ok), txn));
  });

  return r;
}
