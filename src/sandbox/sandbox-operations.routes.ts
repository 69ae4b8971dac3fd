import { Router, type Request, type Response } from 'express';
import { field, str, type Json } from './sandbox-body.util';
import { newId } from './sandbox-format.util';
import { EPAY_CODES, requireToken, sendOpError } from './sandbox-http.util';
import { toMinor } from './sandbox-money.util';
import type { SandboxContext } from './sandbox.context';
import type { PaymentTransaction } from './sandbox.types';

// §6 charge / cancel / refund on the transaction UUID. Any valid token is accepted (service tokens included).
// GUESS: state errors answer {"code":100,...} like the docs' only error sample; amount errors use 470.
const STATE_ERROR = 100;
export const MIN_REFUND_MINOR = 1000; // 10 KZT

type AmountRead = { minor?: number } | { error: string };

// ?amount= and/or body {"amount"}; both given must agree.
function readAmount(req: Request): AmountRead {
  const q = str(req.query, 'amount');
  const b = field(req.body, 'amount');
  const qMinor = q === undefined || q === '' ? undefined : toMinor(q);
  const bMinor = b === undefined || b === '' ? undefined : toMinor(b);
  if ((q && qMinor === undefined) || (b !== undefined && b !== '' && bMinor === undefined))
    return { error: 'Invalid amount' };
  if (qMinor !== undefined && bMinor !== undefined && qMinor !== bMinor)
    return { error: 'amount in query and body differ' };
  return { minor: qMinor ?? bMinor };
}

function findTxn(ctx: SandboxContext, req: Request, res: Response): PaymentTransaction | undefined {
  if (!requireToken(ctx.store, req, res)) return undefined;
  const txn = ctx.store.payments.get(String(req.params.id));
  if (!txn) sendOpError(res, STATE_ERROR, 'transaction not found');
  return txn;
}

const ok = (res: Response, extra: Json = {}) => void res.status(200).json({ code: 0, message: 'OK', ...extra });

export function operationsRoutes(ctx: SandboxContext): Router {
  const r = Router();

  r.post('/operation/:id/charge', (req, res) => {
    const txn = findTxn(ctx, req, res);
    if (!txn) return;
    if (txn.statusName !== 'AUTH')
      return sendOpError(res, STATE_ERROR, `operation is not permitted in status ${txn.statusName}`);
    const a = readAmount(req);
    if ('error' in a) return sendOpError(res, EPAY_CODES.invalidAmount, a.error);
    const amount = a.minor ?? txn.amountMinor;
    if (amount <= 0 || amount > txn.amountMinor) return sendOpError(res, EPAY_CODES.invalidAmount, 'Invalid amount');
    txn.amountMinor = amount; // partial charge: the rest of the hold is released, orgAmount keeps the original
    txn.statusName = 'CHARGE';
    txn.statusId = newId();
    ctx.log(`charge ${txn.invoiceId} ${amount}`);
    ok(res);
  });

  r.post('/operation/:id/cancel', (req, res) => {
    const txn = findTxn(ctx, req, res);
    if (!txn) return;
    if (txn.statusName !== 'AUTH')
      return sendOpError(res, STATE_ERROR, `operation is not permitted in status ${txn.statusName}`);
    txn.statusName = 'CANCEL';
    txn.statusId = newId();
    ctx.log(`cancel ${txn.invoiceId}`);
    ok(res);
  });

  r.post('/operation/:id/refund', (req, res) => {
    const txn = findTxn(ctx, req, res);
    if (!txn) return;
    const externalId = str(req.query, 'externalID') ?? str(req.body, 'externalID');
    const key = externalId && ctx.store.settings.dedupeExternalId ? `${txn.id}:${externalId}` : undefined;
    const previous = key ? ctx.store.refundResults.get(key) : undefined;
    if (previous) return void res.status(200).json(previous); // same externalID: same answer, no second refund
    if (txn.statusName !== 'CHARGE')
      return sendOpError(res, STATE_ERROR, `operation is not permitted in status ${txn.statusName}`);
    const a = readAmount(req);
    if ('error' in a) return sendOpError(res, EPAY_CODES.invalidAmount, a.error);
    const amount = a.minor ?? txn.amountMinor;
    if (amount < MIN_REFUND_MINOR)
      return sendOpError(res, EPAY_CODES.invalidAmount, 'Refund amount must be at least 10');
    if (amount > txn.amountMinor)
      return sendOpError(res, EPAY_CODES.invalidAmount, 'Refund amount exceeds the remaining amount');
    txn.amountMinor -= amount;
    txn.refunds.push({ amountMinor: amount, externalId, at: new Date().toISOString() });
    if (txn.amountMinor === 0) txn.statusName = 'REFUND';
    txn.statusId = newId();
    const result: Json = { code: 0, message: 'OK', ...(externalId ? { externalID: externalId } : {}) };
    if (key) ctx.store.refundResults.set(key, result);
    ctx.log(`refund ${txn.invoiceId} ${amount}`);
    res.status(200).json(result);
  });

  return r;
}
