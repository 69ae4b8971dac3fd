import type { Browser } from 'playwright-core';
import { ACS_APPROVE_OTP } from '../src/sandbox';
import { api } from './setup/api';
import { launchBrowser } from './setup/browser';
import { CARDS, uniqueAccount } from './setup/fixtures';
import { startShop } from './setup/shop-server';
import { startTestApp, TestApp } from './setup/test-app';

// A company page with nothing but a publishable key: it starts a card payment from the browser,
// follows 3-D Secure, and on the return page reads its own payment back with the client secret —
// and cannot read it without. No company server is involved.
describe('browser-only checkout with a publishable key (headless Chromium, 3-D Secure)', () => {
  let t: TestApp;
  let browser: Browser;
  let shop: Awaited<ReturnType<typeof startShop>>;
  let apiUrl = '';
  let publishableKey = '';

  const checkoutPage = () => `<!doctype html><html><body>
<form id="pay"><button id="buy" type="submit">Pay 100.50 KZT</button></form><p id="error"></p>
<script>
document.getElementById('pay').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await fetch(${JSON.stringify(apiUrl)} + '/v1/payments/card', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': ${JSON.stringify(publishableKey)},
               'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({
      amount: 10050, currency: 'KZT', description: 'Browser order', accountId: ${JSON.stringify(uniqueAccount('web'))},
      card: ${JSON.stringify(CARDS.threeDs)},
      backLink: location.origin + '/return', failureBackLink: location.origin + '/return',
    }),
  });
  const payment = await res.json();
  if (res.status !== 201) { document.getElementById('error').textContent = JSON.stringify(payment); return; }
  sessionStorage.setItem('clientSecret:' + payment.id, payment.clientSecret);
  location.href = payment.nextAction.url;
});
</script></body></html>`;

  const returnPage = () => `<!doctype html><html><body><p id="status">loading</p><p id="without"></p>
<script>
(async () => {
  const id = new URLSearchParams(location.search).get('paymentId');
  const url = ${JSON.stringify(apiUrl)} + '/v1/payments/' + id;
  const key = { 'X-API-Key': ${JSON.stringify(publishableKey)} };
  const bare = await fetch(url, { headers: key });
  document.getElementById('without').textContent = String(bare.status);
  const res = await fetch(url, { headers: { ...key, 'X-Client-Secret': sessionStorage.getItem('clientSecret:' + id) } });
  const payment = await res.json();
  document.getElementById('status').textContent = res.status + ' ' + payment.status + ' ' + payment.amount;
})();
</script></body></html>`;

  beforeAll(async () => {
    shop = await startShop({ '/checkout': checkoutPage, '/return': returnPage });
    [t, browser] = await Promise.all([startTestApp({ env: { CORS_ORIGINS: shop.url } }), launchBrowser()]);
    apiUrl = t.url;
    publishableKey = t.publishableKey;
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await t?.close();
  });

  it('pays through 3-D Secure and reads its own outcome, and nothing without the client secret', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${shop.url}/checkout`);
      await Promise.all([page.waitForSelector('#otp', { timeout: 15_000 }), page.click('#buy')]);
      expect(page.url()).toContain(new URL(t.sandbox.url).host);
      await page.fill('#otp', ACS_APPROVE_OTP);
      await Promise.all([page.waitForURL(`${shop.url}/return**`, { timeout: 15_000 }), page.click('#submit')]);
      const paymentId = new URL(page.url()).searchParams.get('paymentId');
      await page.waitForFunction("document.getElementById('status').textContent !== 'loading'", undefined, {
        timeout: 10_000,
      });
      expect(await page.textContent('#status')).toBe('200 charged 10050');
      expect(await page.textContent('#without')).toBe('403');
      await page.screenshot({ path: `${t.logFile}.publishable-checkout.png` });

      const stored = await api(t).get(`/v1/payments/${paymentId}`).expect(200);
      expect(stored.body).toMatchObject({ status: 'charged', amount: 10050 });
      const [row] = await t.dataSource.query(`SELECT created_by_kind FROM payments WHERE id = $1`, [paymentId]);
      expect(row.created_by_kind).toBe('publishable');
    } finally {
      await page.close();
    }
  });
});
