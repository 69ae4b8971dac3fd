import type { Browser } from 'playwright-core';
import request from 'supertest';
import { ACS_APPROVE_OTP, driveAcs } from '../src/sandbox';
import { api } from './setup/api';
import { launchBrowser } from './setup/browser';
import { CARDS, findCardData, paymentBody } from './setup/fixtures';
import { startShop } from './setup/shop-server';
import { startTestApp, TestApp } from './setup/test-app';

describe('3-D Secure in a real browser (headless Chromium against the sandbox ACS)', () => {
  let t: TestApp;
  let browser: Browser;
  let shop: Awaited<ReturnType<typeof startShop>>;

  beforeAll(async () => {
    // the sandbox's postLink is dropped: otherwise, on a loaded machine, it can settle the payment
    // before the TermUrl confirmation does, and which source wins would be a race
    [t, browser, shop] = await Promise.all([
      startTestApp({ sandboxOptions: { postLink: { dropRate: 1 } } }),
      launchBrowser(),
      startShop(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await t?.close();
  });

  async function start3ds(card: object = CARDS.threeDs) {
    const res = await api(t)
      .post('/v1/payments/card', paymentBody({ card, backLink: `${shop.url}/ok`, failureBackLink: `${shop.url}/fail` }))
      .expect(201);
    expect(res.body.status).toBe('requires_3ds');
    expect(res.body.nextAction.type).toBe('redirect');
    return res.body as { id: string; invoiceId: string; nextAction: { url: string } };
  }

  it('pass: redirect → ACS → one-time code → TermUrl → confirmed by a status check → backLink', async () => {
    const payment = await start3ds();
    const page = await browser.newPage();
    try {
      await page.goto(payment.nextAction.url);
      // our page auto-submits to the bank's ACS
      await page.waitForSelector('#otp', { timeout: 10_000 });
      expect(page.url()).toContain(new URL(t.sandbox.url).host);
      await page.fill('#otp', ACS_APPROVE_OTP);
      await Promise.all([page.waitForURL(`${shop.url}/ok**`, { timeout: 15_000 }), page.click('#submit')]);
      const landed = new URL(page.url());
      expect(landed.searchParams.get('paymentId')).toBe(payment.id);
      expect(landed.searchParams.get('status')).toBe('charged');
      expect(await page.textContent('#landing')).toBe('Thank you');
      await page.screenshot({ path: `${t.logFile}.3ds-pass.png` });
    } finally {
      await page.close();
    }
    const after = await api(t).get(`/v1/payments/${payment.id}`).expect(200);
    expect(after.body).toMatchObject({ status: 'charged', nextAction: null });
    expect(t.sandbox.control.getTransaction(payment.invoiceId)?.statusName).toBe('CHARGE');
    const events = await t.dataSource.query(
      `SELECT from_status, to_status, source FROM payment_events WHERE payment_id = $1 ORDER BY created_at`,
      [payment.id],
    );
    expect(events.map((e: { to_status: string }) => e.to_status)).toEqual(['created', 'requires_3ds', 'charged']);
    expect(events[2].source).toBe('3ds');
  });

  it('fail: the customer fails the challenge → failureBackLink, payment failed', async () => {
    const payment = await start3ds(CARDS.threeDsAny);
    const page = await browser.newPage();
    try {
      await page.goto(payment.nextAction.url);
      await page.waitForSelector('#fail', { timeout: 10_000 });
      await Promise.all([page.waitForURL(`${shop.url}/fail**`, { timeout: 15_000 }), page.click('#fail')]);
      expect(new URL(page.url()).searchParams.get('status')).toBe('failed');
      expect(await page.textContent('#landing')).toBe('Payment failed');
    } finally {
      await page.close();
    }
    const after = await api(t).get(`/v1/payments/${payment.id}`).expect(200);
    expect(after.body.status).toBe('failed');
    expect(after.body.failure.code).toBe('epay_473');
  });

  it('the TermUrl callback must match the stored MD and reaches the bank once', async () => {
    const payment = await start3ds(CARDS.threeDsAny);
    const page = await request(t.url).get(`/v1/three-ds/${payment.id}`).expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'nonce-");
    const paReq = /name="PaReq" value="([^"]*)"/.exec(page.text)![1];
    const md = /name="MD" value="([^"]*)"/.exec(page.text)![1];
    const action = /action="([^"]*)"/.exec(page.text)![1];
    const termUrl = `${t.url}/v1/three-ds/${payment.id}/callback`;
    const acs = await driveAcs({ action, paReq, md }, termUrl, 'approve');

    const forged = await request(t.url)
      .post(`/v1/three-ds/${payment.id}/callback`)
      .type('form')
      .send({ PaRes: acs.PaRes, MD: 'forged-md' })
      .expect(400);
    expect(forged.body.error.code).toBe('THREE_DS_INVALID');
    expect((await api(t).get(`/v1/payments/${payment.id}`)).body.status).toBe('requires_3ds');

    const first = await request(t.url)
      .post(`/v1/three-ds/${payment.id}/callback`)
      .type('form')
      .send({ PaRes: acs.PaRes, MD: acs.MD })
      .redirects(0)
      .expect(303);
    expect(first.headers.location).toContain('status=charged');
    const confirms = t.sandbox.control.requestCount('confirm');
    // a repeat (refresh, ACS retry) sends the browser on without a second confirm
    const repeat = await request(t.url)
      .post(`/v1/three-ds/${payment.id}/callback`)
      .type('form')
      .send({ PaRes: acs.PaRes, MD: acs.MD })
      .redirects(0)
      .expect(303);
    expect(repeat.headers.location).toContain('status=charged');
    expect(t.sandbox.control.requestCount('confirm')).toBe(confirms);
    // a later visit to the redirect page just sends the customer back
    const again = await request(t.url).get(`/v1/three-ds/${payment.id}`).redirects(0).expect(303);
    expect(again.headers.location).toContain(`${shop.url}/ok`);
  });

  it('leaves no card data in logs or the database', async () => {
    await new Promise((r) => setTimeout(r, 300));
    expect(findCardData(t.readLogs())).toEqual([]);
    expect(findCardData(await t.dumpDatabase())).toEqual([]);
  });
});
