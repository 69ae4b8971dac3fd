import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { ACS_APPROVE_OTP } from '../src/sandbox';
import { api } from './setup/api';
import { launchBrowser } from './setup/browser';
import { startTestApp, TestApp } from './setup/test-app';

// The demo shop at /demo, driven as a customer would: it uses only the checkout kit
// (/js/checkout.js) with a publishable key and a customer session.
describe('checkout kit and demo shop in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  const shots = () => `${t.logFile}.demo`;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(lang = 'eng', viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    await page.goto(`${t.url}/demo?lang=${lang}`);
    await page.waitForSelector('#card input[name=number]');
    return page;
  }

  async function fillCard(page: Page, number: string, expiry: string, cvc: string): Promise<void> {
    await page.fill('#card input[name=number]', number);
    await page.fill('#card input[name=expiry]', expiry);
    await page.fill('#card input[name=cvc]', cvc);
    await page.fill('#card input[name=holder]', 'ARMAN ALI');
  }

  // the demo's strict CSP forbids eval, so no waitForFunction: wait for the attribute instead
  const settled = (page: Page) =>
    page.waitForSelector(
      '#result:is([data-status=charged],[data-status=authorized],[data-status=failed],[data-status=error])',
      { timeout: 20_000 },
    );

  it('serves the kit as a script other origins may load', async () => {
    const res = await request(t.url).get('/js/checkout.js').expect(200);
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.text).toContain('EpayCheckout');
  });

  it('pays with a new card, formats as typed, and shows the brand', async () => {
    const page = await open();
    try {
      await fillCard(page, '4405639704015096', '0125', '815');
      expect(await page.inputValue('#card input[name=number]')).toBe('4405 6397 0401 5096');
      expect(await page.inputValue('#card input[name=expiry]')).toBe('01/25');
      expect(await page.textContent('.epay-brand')).toBe('VISA');
      await page.click('#pay-card');
      await settled(page);
      expect(await page.textContent('#result')).toBe('Paid: 100.50 ₸');
      await page.screenshot({ path: `${shots()}-card.png`, fullPage: true });
      const id = await page.getAttribute('#result', 'data-payment-id');
      const stored = await api(t).get(`/v1/payments/${id}`).expect(200);
      expect(stored.body).toMatchObject({ status: 'charged', amount: 10050, accountId: 'demo-customer' });
    } finally {
      await page.close();
    }
  });

  it('announces every wrong field next to it and sends nothing', async () => {
    const page = await open();
    try {
      const before = t.sandbox.control.requestCount('cryptopay');
      await fillCard(page, '4405639704015097', '13/25', '81');
      await page.fill('#card input[name=holder]', '');
      await page.click('#pay-card');
      await page.waitForSelector('#card input[name=number][aria-invalid=true]');
      for (const [field, text] of [
        ['number', 'The card number is not valid'],
        ['expiry', 'Enter the expiry as MM/YY'],
        ['cvc', 'The security code is not valid'],
        ['holder', 'This field is required'],
      ]) {
        const describedBy = await page.getAttribute(`#card input[name=${field}]`, 'aria-describedby');
        expect(await page.getAttribute(`#${describedBy}`, 'role')).toBe('alert');
        expect(await page.textContent(`#${describedBy}`)).toBe(text);
      }
      // focus moves to the first wrong field, for keyboard users
      expect(await page.evaluate('document.activeElement.name')).toBe('number');
      expect(t.sandbox.control.requestCount('cryptopay')).toBe(before);
    } finally {
      await page.close();
    }
  });

  it('follows 3-D Secure with a full-page redirect and resolves the payment on the way back', async () => {
    const page = await open();
    try {
      await fillCard(page, '5522042705066736', '0125', '525');
      await Promise.all([page.waitForSelector('#otp', { timeout: 15_000 }), page.click('#pay-card')]);
      await page.fill('#otp', ACS_APPROVE_OTP);
      await Promise.all([page.waitForURL(`${t.url}/demo/return**`, { timeout: 15_000 }), page.click('#submit')]);
      await settled(page);
      expect(await page.textContent('#result')).toBe('Paid: 100.50 ₸');
      await page.screenshot({ path: `${shots()}-3ds-return.png`, fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('shows a decline in words', async () => {
    const page = await open();
    try {
      await fillCard(page, '4000000000000002', '1230', '222');
      await page.click('#pay-card');
      await settled(page);
      expect(await page.getAttribute('#result', 'data-status')).toBe('failed');
      expect(await page.textContent('#result')).toMatch(/^Declined: 100.50 ₸ \(.+\)$/);
    } finally {
      await page.close();
    }
  });

  it('saves a card through the customer session and pays with it', async () => {
    const page = await open();
    try {
      await fillCard(page, '4405639704015096', '0125', '815');
      await page.check('#save-card');
      await page.click('#pay-card');
      await settled(page);
      expect(await page.getAttribute('#result', 'data-status')).toBe('charged');
      const first = await page.getAttribute('#result', 'data-payment-id');
      await page.waitForSelector('button.pay-saved');
      expect(await page.textContent('button.pay-saved')).toContain('5096');
      await page.evaluate("document.getElementById('result').dataset.status = ''");
      await page.click('button.pay-saved');
      await settled(page);
      expect(await page.getAttribute('#result', 'data-status')).toBe('charged');
      const second = await page.getAttribute('#result', 'data-payment-id');
      expect(second).not.toBe(first);
      const [row] = await t.dataSource.query(`SELECT method, created_by_kind FROM payments WHERE id = $1`, [second]);
      expect(row).toEqual({ method: expect.stringMatching(/saved/), created_by_kind: 'customer_session' });
    } finally {
      await page.close();
    }
  });

  it('pays in the bank’s widget and waits for the bank to settle it', async () => {
    const page = await open();
    try {
      await page.click('#open-widget');
      await page.waitForSelector('#halyk-widget-form');
      await page.fill('#halyk-pan', '4405639704015096');
      await page.fill('#halyk-exp', '01/25');
      await page.fill('#halyk-cvc', '815');
      await page.fill('#halyk-name', 'ARMAN ALI');
      await page.click('#halyk-pay');
      await settled(page);
      expect(await page.textContent('#result')).toBe('Paid: 100.50 ₸');
    } finally {
      await page.close();
    }
  });

  it('shows the Google Pay button from the service’s config and pays with the token Google returns', async () => {
    // Google's pay.js cannot load on this machine (no network): a stand-in with its API shape
    const token = JSON.stringify({
      signature: `MEQCIG0Pt0VSb8${randomBytes(8).toString('hex')}`,
      intermediateSigningKey: {
        signedKey: JSON.stringify({ keyValue: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE', keyExpiration: '1695271732552' }),
        signatures: ['MEQCIFurLZqmGGY9'],
      },
      protocolVersion: 'ECv2',
      signedMessage: JSON.stringify({
        encryptedMessage: 'x',
        ephemeralPublicKey: 'BOmDg7vgShCeyoYT5EgzyV8NGdh3',
        tag: 'I9P',
      }),
    });
    const page = await browser.newPage();
    try {
      await page.addInitScript({
        content: `(() => {
          const seen = [];
          window.googleRequests = seen;
          window.google = { payments: { api: { PaymentsClient: class {
            constructor(options) { seen.push(options); }
            isReadyToPay(req) { seen.push(req); return Promise.resolve({ result: true }); }
            createButton(opts) {
              const b = document.createElement('button');
              b.id = 'gpay-button';
              b.textContent = 'Buy with GPay';
              b.onclick = opts.onClick;
              return b;
            }
            loadPaymentData(req) {
              seen.push(req);
              return Promise.resolve({ apiVersion: 2, apiVersionMinor: 0, paymentMethodData: {
                description: 'Visa •••• 1111', type: 'CARD',
                tokenizationData: { type: 'PAYMENT_GATEWAY', token: ${JSON.stringify(token)} },
                info: { cardNetwork: 'VISA', cardDetails: '1111' } } });
            }
          } } } };
        })();`,
      });
      await page.goto(`${t.url}/demo?lang=eng`);
      await page.click('#gpay-button');
      await settled(page);
      expect(await page.textContent('#result')).toBe('Paid: 100.50 ₸');
      const requests = (await page.evaluate('window.googleRequests')) as Record<string, unknown>[];
      expect(requests[0]).toEqual({ environment: 'TEST' });
      expect(requests[2]).toMatchObject({ transactionInfo: { totalPrice: '100.50', currencyCode: 'KZT' } });
    } finally {
      await page.close();
    }
  });

  it.each([
    ['rus', 'ru', 'Номер карты'],
    ['kaz', 'kk', 'Карта нөмірі'],
    ['eng', 'en', 'Card number'],
  ])('speaks %s (lang=%s) on a phone', async (lang, htmlLang, label) => {
    const page = await open(lang, { width: 390, height: 844 });
    try {
      expect(await page.getAttribute('html', 'lang')).toBe(htmlLang);
      expect(await page.textContent('.epay-field-number label')).toBe(label);
      await page.screenshot({ path: `${shots()}-${lang}-phone.png`, fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('is not served when the service talks to a real bank', async () => {
    const live = await startTestApp({ sandbox: t.sandbox, env: { EPAY_ENV: 'test' } });
    try {
      await request(live.url).get('/demo').expect(404);
      await request(live.url).get('/demo/config').expect(404);
      // the kit itself is for every deployment
      await request(live.url).get('/js/checkout.js').expect(200);
    } finally {
      await live.close();
    }
  });
});
