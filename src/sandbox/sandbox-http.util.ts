import type { Request, Response } from 'express';
import type { SandboxStateStore } from './sandbox-state.store';
import type { TokenRecord } from './sandbox.types';

// Error codes the bank never documented: the emulator's own, in the 1000s so they never collide with §10.
export const EMU_CODES = {
  // GUESS: no public sample exists for a token whose invoice/amount/currency/terminal differs from the body.
  tokenMismatch: 1001,
  // GUESS: no public sample exists for an undecryptable cryptogram.
  decryptError: 1002,
  // GUESS: unknown transaction / MD / PaRes on /payment/confirm.
  confirmNotFound: 1003,
  confirmMdMismatch: 1004,
  confirmAlreadyDone: 1005,
} as const;

// §10 codes used for request-level rejections
export const EPAY_CODES = {
  formatError: 477,
  invalidMerchant: 464,
  notPermitted: 487,
  tooManyAttempts: 505,
  invalidAmount: 470,
  noSuchCard: 471,
} as const;

// The bank's own message for 487 starts with a space (S2, S3, S4).
export const NOT_PERMITTED_MESSAGE = ' Not permitted to merchant';

export function bearerOf(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m ? m[1].trim() : undefined;
}

// GUESS: the 401 body shape; the docs show none.
export function requireToken(store: SandboxStateStore, req: Request, res: Response): TokenRecord | undefined {
  const token = store.validToken(bearerOf(req));
  if (!token) res.status(401).json({ code: 401, message: 'unauthorized' });
  return token;
}

export interface PaymentErrorRefs {
  invoiceId: string;
  id?: string;
  accountId?: string;
}

// Payment/transfer rejection, shaped like the seeds: HTTP 400 {"code","message","invoiceId","id","reference","accountId"}
export function sendPaymentError(res: Response, code: number, message: string, refs: PaymentErrorRefs): void {
  res.status(400).json({
    code,
    message,
    invoiceId: refs.invoiceId,
    id: refs.id ?? '',
    reference: '',
    accountId: refs.accountId ?? '',
  });
}

// charge/cancel/refund/cards errors: HTTP 400 {"code","message"}
export function sendOpError(res: Response, code: number, message: string): void {
  res.status(400).json({ code, message });
}

// "http://127.0.0.1:3100" or "http://127.0.0.1:3100/api", as the client addressed us
// (the server strips "/api" from req.url, originalUrl keeps it)
export function baseUrlOf(req: Request): string {
  return `${rootUrlOf(req)}${req.originalUrl.startsWith('/api/') ? '/api' : ''}`;
}

export function rootUrlOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
