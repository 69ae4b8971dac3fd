import { randomBytes } from 'node:crypto';
import { escapeHtml, newId } from './sandbox-format.util';
import { EMU_CODES } from './sandbox-http.util';
import { toDecimal } from './sandbox-money.util';
import { approvePayment } from './sandbox-payment.service';
import type { SandboxContext } from './sandbox.context';
import type { PaymentTransaction } from './sandbox.types';

export const ACS_APPROVE_OTP = '1234';

// The ACS hands out an opaque PaRes; only the sandbox knows whether it means "authenticated".
export function issuePaRes(txn: PaymentTransaction, approved: boolean): string {
  const paRes = randomBytes(48).toString('base64');
  txn.threeDs!.paRes = paRes;
  txn.threeDs!.acsApproved = approved;
  return paRes;
}

export type ConfirmCheck = { txn: PaymentTransaction } | { code: number; message: string };

// GUESS (1003–1005): unknown ID/MD and double confirmation have no documented answer.
export function checkConfirm(ctx: SandboxContext, id: string | undefined, md: string | undefined): ConfirmCheck {
  const txn = id ? ctx.store.payments.get(id) : undefined;
  if (!txn || !txn.threeDs) return { code: EMU_CODES.confirmNotFound, message: 'transaction not found' };
  if (txn.threeDs.md !== md) return { code: EMU_CODES.confirmMdMismatch, message: 'MD does not match the transaction' };
  if (txn.threeDs.confirmed) return { code: EMU_CODES.confirmAlreadyDone, message: 'payment already confirmed' };
  return { txn };
}

// Finishes the 3-D Secure payment: a PaRes the ACS issued as "approved" authorises it, anything else is 3D/473.
export function completeThreeDs(ctx: SandboxContext, txn: PaymentTransaction, paRes: string | undefined): boolean {
  const s = txn.threeDs!;
  s.confirmed = true;
  const ok = paRes !== undefined && paRes === s.paRes && s.acsApproved === true;
  if (ok) {
    approvePayment(ctx, txn);
  } else {
    txn.statusName = '3D';
    txn.statusId = newId();
    txn.reasonCode = 473;
    txn.reason = '3-D Secure authentication failed';
    ctx.postLinks.dispatch(txn);
  }
  return ok;
}

// "Redirect, HTTP 200" (S2/S4): success.html with query params, or the payform with invoiceID/code/message.
export function confirmResultUrl(root: string, txn: PaymentTransaction, ok: boolean): string {
  if (ok) {
    const q = new URLSearchParams({
      amount: String(toDecimal(txn.amountMinor)),
      currency: txn.currency,
      invoiceID: txn.invoiceId,
      accountID: txn.accountId,
      description: txn.description,
      reference: txn.reference,
      language: txn.language,
      cardid: txn.cardId,
    });
    return `${root}/payform/success.html?${q.toString()}`;
  }
  const q = new URLSearchParams({ invoiceID: txn.invoiceId, code: String(txn.reasonCode), message: txn.reason });
  return `${root}/payform/?${q.toString()}`;
}

export function resultPage(ok: boolean, redirectUrl: string, txn: PaymentTransaction): string {
  const title = ok ? 'Payment successful' : 'Payment failed';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Sandbox ePay - ${title}</title>
<meta name="epay-result" content="${ok ? 'success' : 'error'}">
<meta name="epay-redirect" content="${escapeHtml(redirectUrl)}"></head>
<body><h1 id="result" data-status="${ok ? 'success' : 'error'}">${title}</h1>
<p>Invoice <span id="invoice">${escapeHtml(txn.invoiceId)}</span>, status <span id="status">${escapeHtml(txn.statusName)}</span></p>
<a id="redirect" href="${escapeHtml(redirectUrl)}">Continue</a></body></html>`;
}

export function autoPostPage(action: string, fields: Record<string, string>, title: string): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n    ');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body onload="document.forms[0].submit()">
  <form id="return-form" method="post" action="${escapeHtml(action)}">
    ${inputs}
    <noscript><button type="submit">Continue</button></noscript>
  </form>
  <h1>Wait for the answer!</h1>
</body></html>`;
}
