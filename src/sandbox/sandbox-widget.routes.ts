import { Router, type NextFunction, type Request, type Response } from 'express';
import { str } from './sandbox-body.util';
import { escapeHtml } from './sandbox-format.util';
import { fromPlainCard } from './sandbox-payment-methods.util';
import { processPayment } from './sandbox-payment.routes';
import type { SandboxContext } from './sandbox.context';

// A demo-grade stand-in for https://test-epay.homebank.kz/payform/payment-api.js.
// Browsers cannot do RSA PKCS#1 v1.5 with WebCrypto, so the widget posts the card to the sandbox-only
// /payform/pay endpoint instead of building a cryptogram. 3-D Secure returns through the gateway-hosted
// TermUrl (/payments/cards/confirmPayment?Access=…), which redirects to backLink / failureBackLink.
const WIDGET_JS = String.raw`(function () {
  var script = document.currentScript;
  var base = script ? script.src.replace(/\/payform\/payment-api\.js.*$/, '') : '';
  function field(form, id, label, placeholder) {
    var wrap = document.createElement('label');
    wrap.style.display = 'block';
    wrap.textContent = label + ' ';
    var input = document.createElement('input');
    input.id = id;
    input.placeholder = placeholder || '';
    wrap.appendChild(input);
    form.appendChild(wrap);
    return input;
  }
  function render(obj, cb, fullPage) {
    var overlay = document.createElement('div');
    overlay.id = 'halyk-widget';
    overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.4);display:flex;align-items:center;justify-content:center;z-index:99999';
    var form = document.createElement('form');
    form.id = 'halyk-widget-form';
    form.style.cssText = 'background:#fff;padding:20px;border-radius:8px;font-family:sans-serif;min-width:300px';
    var title = document.createElement('h3');
    title.textContent = 'Sandbox ePay: ' + obj.amount + ' ' + (obj.currency || 'KZT');
    form.appendChild(title);
    var pan = field(form, 'halyk-pan', 'Card number', '4405 6397 0401 5096');
    var exp = field(form, 'halyk-exp', 'MM/YY', '01/25');
    var cvc = field(form, 'halyk-cvc', 'CVC', '815');
    var name = field(form, 'halyk-name', 'Name', 'CARD HOLDER');
    var error = document.createElement('p');
    error.id = 'halyk-error';
    error.style.color = '#b00';
    form.appendChild(error);
    var pay = document.createElement('button');
    pay.id = 'halyk-pay';
    pay.type = 'submit';
    pay.textContent = 'Pay';
    form.appendChild(pay);
    var cancel = document.createElement('button');
    cancel.id = 'halyk-cancel';
    cancel.type = 'button';
    cancel.textContent = 'Cancel';
    form.appendChild(cancel);
    overlay.appendChild(form);
    document.body.appendChild(overlay);
    function finish(success) {
      overlay.remove();
      if (fullPage) {
        var link = success ? obj.backLink : (obj.failureBackLink || obj.backLink);
        if (link) window.location.href = link;
      } else if (cb) cb({ success: success });
    }
    cancel.onclick = function () { finish(false); };
    form.onsubmit = function (e) {
      e.preventDefault();
      pay.disabled = true;
      var body = {};
      for (var k in obj) if (k !== 'auth') body[k] = obj[k];
      var mmyy = exp.value.replace(/\D/g, '');
      body.hpan = pan.value.replace(/\s/g, '');
      body.expDate = mmyy;
      body.cvc = cvc.value;
      if (name.value) body.name = name.value;
      var token = obj.auth && obj.auth.access_token;
      fetch(base + '/payform/pay', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
        body: JSON.stringify(body)
      }).then(function (r) {
        return r.json().then(function (b) { return { ok: r.ok, body: b }; });
      }).then(function (r) {
        if (r.ok && r.body.secure3D) {
          var f = document.createElement('form');
          f.method = 'POST';
          f.action = r.body.secure3D.action;
          var values = { PaReq: r.body.secure3D.paReq, MD: r.body.secure3D.md,
            TermUrl: base + '/payments/cards/confirmPayment?Access=' + encodeURIComponent(token) };
          for (var n in values) {
            var i = document.createElement('input');
            i.type = 'hidden'; i.name = n; i.value = values[n];
            f.appendChild(i);
          }
          document.body.appendChild(f);
          f.submit();
          return;
        }
        if (r.ok && !r.body.code) return finish(true);
        error.textContent = (r.body && r.body.message) || 'Payment failed';
        pay.disabled = false;
        setTimeout(function () { finish(false); }, 1500);
      }).catch(function () { error.textContent = 'Network error'; pay.disabled = false; });
    };
  }
  window.halyk = {
    showPaymentWidget: function (obj, cb) { render(obj, cb, false); },
    pay: function (obj) { render(obj, null, true); }
  };
})();
`;

function cors(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  if (req.method === 'OPTIONS') return void res.status(204).end();
  next();
}

function paramsPage(title: string, query: Request['query']): string {
  const rows = Object.entries(query)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td data-key="${escapeHtml(k)}">${escapeHtml(String(v))}</td></tr>`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1 id="title">${title}</h1><table>${rows}</table></body></html>`;
}

export function widgetRoutes(ctx: SandboxContext): Router {
  const r = Router();
  r.use('/payform', cors);
  r.get('/payform/payment-api.js', (_req, res) => {
    res.status(200).type('application/javascript').send(WIDGET_JS);
  });
  r.post('/payform/pay', (req, res) =>
    processPayment(ctx, req, res, (_p, body) => ({
      card: fromPlainCard(ctx, str(body, 'hpan') ?? '', str(body, 'expDate') ?? '', str(body, 'cvc') ?? ''),
      allowThreeDs: true,
    })),
  );
  r.get('/payform/success.html', (req, res) => {
    res.status(200).type('html').send(paramsPage('Payment successful', req.query));
  });
  r.get(['/payform', '/payform/', '/payform/index.html'], (req, res) => {
    res.status(200).type('html').send(paramsPage('Payment failed', req.query));
  });
  return r;
}
