import request from 'supertest';
import { api } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

// backLink / failureBackLink send the customer's browser from our payment domain; only the company's
// origins (RETURN_URL_ORIGINS) may be named. Each of these was accepted before and 303'd to.
const HOSTILE_RETURN_URLS = [
  'https://evil.example/',
  'https://evil.example\\@shop.example.kz/ok',
  'https://evil.example\\.shop.example.kz/ok',
  'https:\\\\evil.example/ok',
  'https://shop.example.kz@evil.example/ok',
  'https://shop.example.kz:443@evil.example/ok',
  'https://user:pass@shop.example.kz/ok',
  'https://shop.example.kz.evil.example/ok',
  'https://shop.example.kz%2F@evil.example/',
  'https://evil.example/https://shop.example.kz/ok',
  'https://evil.example/?next=https://shop.example.kz/ok',
  'https://evil.example#@shop.example.kz',
  'http://shop.example.kz/ok',
  'https://shop.example.kz:8443/ok',
  'https://shop.example.kz./ok',
  'https://xn--shp-5cd.example.kz/ok',
  'https://shоp.example.kz/ok',
  'https://evil.example\t/ok',
  'https://evil.example/\nhttps://shop.example.kz',
  ' https://evil.example/',
  'https://0xa9fea9fe/ok',
  'https://169.254.169.254/latest/meta-data/',
  'javascript:alert(document.domain)//https://shop.example.kz',
  'data:text/html,<script>alert(1)</script>',
  '//evil.example/ok',
  'https:evil.example/ok',
  'https://[::ffff:7f00:1]/ok',
  'ftp://shop.example.kz/ok',
];

describe('return URLs and the 3-D Secure page (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it(`refuses ${HOSTILE_RETURN_URLS.length} hostile backLink and failureBackLink values with a 400 naming the field`, async () => {
    expect(HOSTILE_RETURN_URLS.length).toBeGreaterThanOrEqual(24);
    const accepted: string[] = [];
    for (const [i, url] of HOSTILE_RETURN_URLS.entries()) {
      const field = i % 2 ? 'failureBackLink' : 'backLink';
      const res = await api(t).post('/v1/payments/card', paymentBody({ card: CARDS.approve, [field]: url }));
      if (res.status !== 400) {
        accepted.push(`${JSON.stringify(url)} → ${res.status}`);
        continue;
      }
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    expect(accepted).toEqual([]);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM payments`);
    expect(n).toBe(0);
  });

  it('refuses them for transfers too', async () => {
    const res = await api(t).post('/v1/transfers', {
      amount: 10000,
      currency: 'KZT',
      description: 'p2p',
      accountId: 'acc-1',
      sender: { card: CARDS.approve },
      receiver: { card: { number: CARDS.approveAny.number } },
      backLink: 'https://evil.example\\@shop.example.kz',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('backLink');
  });

  it('accepts the allowed origin (stored normalised) and localhost outside production', async () => {
    const ok = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approve, backLink: 'HTTPS://Shop.Example.KZ:443/ok?x=1' }))
      .expect(201);
    const [row] = await t.dataSource.query(`SELECT back_link FROM payments WHERE id = $1`, [ok.body.id]);
    expect(row.back_link).toBe('https://shop.example.kz/ok?x=1');
    await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approve, backLink: 'http://localhost:5173/done' }))
      .expect(201);
  });

  it('the 3-D Secure page lets its form go only to that payment’s ACS, and never 303s to a foreign stored link', async () => {
    const created = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.threeDsAny }))
      .expect(201);
    const page = await request(t.url).get(new URL(created.body.nextAction.url).pathname).expect(200);
    const csp = String(page.headers['content-security-policy']);
    const formAction = /form-action ([^;]+)/.exec(csp)?.[1];
    expect(formAction).toBe(new URL(t.sandbox.apiUrl).origin);

    // a row written before RETURN_URL_ORIGINS existed
    const paid = await api(t)
      .post('/v1/payments/card', paymentBody({ card: CARDS.approve }))
      .expect(201);
    await t.dataSource.query(`UPDATE payments SET back_link = 'https://evil.example/' WHERE id = $1`, [paid.body.id]);
    const page2 = await request(t.url).get(`/v1/three-ds/${paid.body.id}`);
    expect(page2.status).toBe(200);
    expect(page2.headers.location).toBeUndefined();
  });
});
