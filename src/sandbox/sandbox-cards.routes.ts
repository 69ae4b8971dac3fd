import { Router } from 'express';
import { requireToken, sendOpError } from './sandbox-http.util';
import type { SandboxContext } from './sandbox.context';

// §9 saved cards. The list uses PascalCase keys and a 4+4 mask ("4405...2283").
// GUESS: "cards not found" (code 1373, seen by VINK) is sent with HTTP 400.
export function cardsRoutes(ctx: SandboxContext): Router {
  const r = Router();

  r.get('/cards/:accountId', (req, res) => {
    if (!requireToken(ctx.store, req, res)) return;
    const accountId = String(req.params.accountId);
    const cards = [...ctx.store.cards.values()].filter((c) => c.active && c.accountId === accountId);
    if (cards.length === 0) return sendOpError(res, 1373, 'cards not found');
    res.status(200).json(
      cards.map((c) => ({
        ID: c.id,
        TransactionId: c.transactionId,
        MerchantID: ctx.store.config.clientId,
        CardHash: c.cardHash,
        CardMask: c.cardMask,
        PayerName: c.payerName,
        Reference: c.reference,
        IntReference: c.intReference,
        Token: c.token,
        Terminal: c.terminal,
        CreatedDate: c.createdDate,
        PaymentAvailable: true,
        AccountID: c.accountId,
      })),
    );
  });

  r.post('/card/deactivate/:cardId', (req, res) => {
    if (!requireToken(ctx.store, req, res)) return;
    const card = ctx.store.cards.get(String(req.params.cardId));
    if (!card || !card.active) return sendOpError(res, 1373, 'card not found');
    card.active = false;
    res.status(200).json({ status: 'card successfully deactivated' });
  });

  return r;
}
