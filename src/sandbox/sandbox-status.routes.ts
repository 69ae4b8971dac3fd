import { Router, type Request, type Response } from 'express';
import { requireToken } from './sandbox-http.util';
import { toDecimal } from './sandbox-money.util';
import { approvePayment } from './sandbox-payment.service';
import type { SandboxContext } from './sandbox.context';
import type { PaymentTransaction, TokenRecord, TransferTransaction } from './sandbox.types';

// §7 status checks. resultCode/result.code are strings; reasonCode inside the transaction is a string too.

export const RESULT_MESSAGES: Readonly<Record<string, string>> = {
  '100': 'SUCCESS',
  '101': 'reject',
  '102': 'Invoice not found, try again later or check transaction type (payment/p2p)',
  '103': 'Try again or contact support',
  '104': 'Field terminal absent in token',
  '106': 'Error, incorrect terminalID',
  '107': 'In progress',
};

const TERMINAL_NUMBER = '98120001'; // 8-digit processing terminal, as in S0

// 104 / 106 checks shared by both status endpoints; undefined = token is fine.
function terminalProblem(ctx: SandboxContext, token: TokenRecord): string | undefined {
  if (!token.terminal) return '104';
  if (token.terminal !== ctx.store.config.terminalId) return '106';
  return undefined;
}

export function statusTransaction(t: PaymentTransaction): Record<string, unknown> {
  const charged = t.statusName === 'CHARGE' || t.statusName === 'REFUND';
  return {
    id: t.id,
    createdDate: t.createdDate,
    invoiceID: t.invoiceId,
    amount: toDecimal(t.amountMinor),
    amountBonus: 0,
    payoutAmount: charged ? toDecimal(t.amountMinor) : 0,
    orgAmount: toDecimal(t.orgAmountMinor),
    approvalCode: t.approvalCode,
    data: t.data,
    currency: t.currency,
    terminal: TERMINAL_NUMBER,
    terminalID: t.terminal,
    accountID: t.accountId,
    description: t.description,
    language: t.language,
    cardMask: t.cardMask,
    cardType: t.cardType,
    issuer: t.issuer,
    reference: t.reference,
    reason: t.reasonCode === 0 && t.reason === 'success' ? 'Successfully' : t.reason,
    reasonCode: t.reasonCode === 0 ? '00' : String(t.reasonCode),
    intReference: t.intReference,
    secure: t.secure,
    statusID: t.statusId,
    statusName: t.statusName,
    name: t.name,
    email: t.email,
    phone: t.phone,
    cardID: t.cardId,
    xlsRRN: '',
    ip: t.ip,
    ipCountry: '',
    ipCity: '',
    ipRegion: '',
    ipDistrict: '',
    ipLatitude: 0,
    ipLongitude: 0,
  };
}

function p2pTransaction(t: TransferTransaction): Record<string, unknown> {
  return {
    id: t.id,
    createdDate: t.createdDate,
    invoiceID: t.orderId,
    amount: toDecimal(t.amountMinor),
    amountBonus: 0,
    payoutAmount: t.statusName === 'CHARGE' ? toDecimal(t.amountMinor) : 0,
    currency: t.currency,
    cardType: t.senderCardType,
    terminal: TERMINAL_NUMBER,
    terminalID: t.terminal,
    accountID: t.accountId,
    description: t.description,
    language: 'rus',
    reference: t.reference,
    intReference: t.intReference,
    approvalCode: t.approvalCode,
    senderCardID: t.senderCardId,
    senderCardPAN: t.senderCardMask,
    receiverCardID: t.receiverCardId,
    receiverCardPAN: t.receiverCardMask,
    reason: t.reason,
    reasonCode: t.reasonCode === 0 ? '00' : String(t.reasonCode),
    statusName: t.statusName,
  };
}

export function statusRoutes(ctx: SandboxContext): Router {
  const r = Router();

  r.get('/check-status/payment/transaction/:invoiceId', (req: Request, res: Response) => {
    const token = requireToken(ctx.store, req, res);
    if (!token) return;
    const reply = (code: string, transaction: Record<string, unknown> | null = null) =>
      void res.status(200).json({ resultCode: code, resultMessage: RESULT_MESSAGES[code] ?? 'error', transaction });
    const problem = terminalProblem(ctx, token);
    if (problem) return reply(problem);
    const invoiceId = String(req.params.invoiceId);
    const txn = ctx.store.latestPayment(invoiceId);
    const override = ctx.store.statusOverrides.get(invoiceId);
    if (override !== undefined && override !== '100') return reply(override);
    if (!txn) return reply('102');
    if (txn.pendingChecksLeft !== undefined) {
      // 454: "in progress" for the first N checks, then the money settles.
      if (txn.pendingChecksLeft > 0) {
        txn.pendingChecksLeft--;
        return reply('107');
      }
      approvePayment(ctx, txn);
    }
    reply('100', statusTransaction(txn));
  });

  r.get('/check-status/p2p/transaction/:orderId', (req: Request, res: Response) => {
    const token = requireToken(ctx.store, req, res);
    if (!token) return;
    const reply = (code: string, p2p?: Record<string, unknown>) =>
      void res
        .status(200)
        .json({ result: { code, message: RESULT_MESSAGES[code] ?? 'error' }, transaction: p2p ? { p2p } : null });
    const problem = terminalProblem(ctx, token);
    if (problem) return reply(problem);
    const orderId = String(req.params.orderId);
    const override = ctx.store.statusOverrides.get(orderId);
    if (override !== undefined && override !== '100') return reply(override);
    const t = ctx.store.latestTransfer(orderId);
    if (!t) return reply('102');
    reply('100', p2pTransaction(t));
  });

  return r;
}
