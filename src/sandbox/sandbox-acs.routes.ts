import { Router, type Request, type Response } from 'express';
import { str, type Json } from './sandbox-body.util';
import { escapeHtml } from './sandbox-format.util';
import { baseUrlOf } from './sandbox-http.util';
import { ACS_APPROVE_OTP, autoPostPage, issuePaRes } from './sandbox-three-ds.service';
import type { SandboxContext } from './sandbox.context';

// A stand-in for the issuer's 3-D Secure page. Browser tests drive #otp/#submit or #approve/#fail;
// HTTP tests POST the same form fields (PaReq, MD, TermUrl, otp, decision) to /acs/submit.

function fields(req: Request): Json {
  return { ...(req.query as Json), ...(req.body as Json) };
}

function acsPage(
  submitUrl: string,
  paReq: string,
  md: string,
  termUrl: string,
  invoiceId: string,
  amount: string,
): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Sandbox ACS</title>
<style>body{font-family:sans-serif;max-width:420px;margin:40px auto}button{margin:4px}</style></head>
<body>
  <h1>Sandbox ACS</h1>
  <p>3-D Secure check for invoice <b id="invoice">${escapeHtml(invoiceId)}</b>, amount <b id="amount">${escapeHtml(amount)}</b>.</p>
  <p class="hint">Sandbox: one-time code <code>${ACS_APPROVE_OTP}</code> approves, anything else fails.</p>
  <form id="acs-form" method="post" action="${escapeHtml(submitUrl)}">
    <input type="hidden" name="PaReq" value="${escapeHtml(paReq)}">
    <input type="hidden" name="MD" value="${escapeHtml(md)}">
    <input type="hidden" name="TermUrl" value="${escapeHtml(termUrl)}">
    <label>One-time code <input id="otp" name="otp" autocomplete="one-time-code" inputmode="numeric"></label>
    <button id="submit" type="submit" name="decision" value="otp">Submit</button>
    <hr>
    <button id="approve" type="submit" name="decision" value="approve">Approve</button>
    <button id="fail" type="submit" name="decision" value="fail">Fail</button>
  </form>
</body></html>`;
}

function errorPage(res: Response, message: string): void {
  res
    .status(400)
    .type('html')
    .send(
      `<!doctype html><html><head><title>Sandbox ACS</title></head><body><h1>Sandbox ACS</h1><p id="error">${escapeHtml(message)}</p></body></html>`,
    );
}

export function acsRoutes(ctx: SandboxContext): Router {
  const r = Router();

  const show = (req: Request, res: Response): void => {
    const f = fields(req);
    const md = str(f, 'MD') ?? '';
    const txn = ctx.store.paymentByMd(md);
    if (!txn || !txn.threeDs) return errorPage(res, 'Unknown MD');
    if (txn.threeDs.confirmed) return errorPage(res, 'This 3-D Secure session is already finished');
    const amount = `${(txn.amountMinor / 100).toFixed(2)} ${txn.currency}`;
    res
      .status(200)
      .type('html')
      .send(
        acsPage(
          `${baseUrlOf(req)}/acs/submit`,
          str(f, 'PaReq') ?? '',
          md,
          str(f, 'TermUrl') ?? '',
          txn.invoiceId,
          amount,
        ),
      );
  };
  r.get('/acs', show);
  r.post('/acs', show);

  r.post('/acs/submit', (req, res) => {
    const f = fields(req);
    const md = str(f, 'MD') ?? '';
    const txn = ctx.store.paymentByMd(md);
    if (!txn || !txn.threeDs) return errorPage(res, 'Unknown MD');
    if (txn.threeDs.confirmed) return errorPage(res, 'This 3-D Secure session is already finished');
    const decision = str(f, 'decision') ?? '';
    const approved = decision === 'approve' || (decision !== 'fail' && str(f, 'otp') === ACS_APPROVE_OTP);
    const paRes = issuePaRes(txn, approved);
    ctx.log(`acs ${txn.invoiceId} -> ${approved ? 'authenticated' : 'failed'}`);
    const termUrl = str(f, 'TermUrl') ?? '';
    if (!termUrl) {
      // No TermUrl: show the values so a human can carry them to /payment/confirm.
      return void res
        .status(200)
        .type('html')
        .send(
          `<!doctype html><html><head><title>Sandbox ACS result</title></head><body><h1>Sandbox ACS result</h1>` +
            `<p>PaRes: <code id="pares">${escapeHtml(paRes)}</code></p><p>MD: <code id="md">${escapeHtml(md)}</code></p></body></html>`,
        );
    }
    res
      .status(200)
      .type('html')
      .send(autoPostPage(termUrl, { PaRes: paRes, MD: md }, 'Sandbox ACS - returning to the merchant'));
  });

  return r;
}
