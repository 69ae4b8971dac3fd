import request from 'supertest';
import { driveAcs } from '../src/sandbox';
import { api } from './setup/api';
import { CARDS, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

// Issue 13 item 8: a double-submitted TermUrl form. The first callback confirms with the bank; the
// others arrive while it runs and must send their browsers on by the final outcome too.
describe('concurrent 3-D Secure callbacks (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // no postLink: only the confirmation settles the payment
    t = await startTestApp({ sandboxOptions: { postLink: { dropRate: 1 } } });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function approvedAcs() {
    const res = await api(t)
      .post(
        '/v1/payments/card',
        paymentBody({
          card: CARDS.threeDsAny,
          backLink: 'https://shop.example.kz/ok',
          failureBackLink: 'https://shop.example.kz/fail',
        }),
      )
      .expect(201);
    expect(res.body.status).toBe('requires_3ds');
    const page = await request(t.url).get(`/v1/three-ds/${res.body.id}`).expect(200);
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page.text)![1];
    const action = /action="([^"]*)"/.exec(page.text)![1];
    const termUrl = `${t.url}/v1/three-ds/${res.body.id}/callback`;
    const acs = await driveAcs({ action, paReq: field('PaReq'), md: field('MD') }, termUrl, 'approve');
    return { id: res.body.id as string, acs };
  }

  it('three simultaneous callbacks: one confirm, every browser redirected to backLink with status=charged', async () => {
    const { id, acs } = await approvedAcs();
    const confirms = t.sandbox.control.requestCount('confirm');
    // the bank is slow: the repeats arrive while the first callback's confirmation runs
    t.sandbox.control.setLatency(400);
    try {
      const answers = await Promise.all(
        Array.from({ length: 3 }, () =>
          request(t.url)
            .post(`/v1/three-ds/${id}/callback`)
            .type('form')
            .send({ PaRes: acs.PaRes, MD: acs.MD })
            .redirects(0),
        ),
      );
      for (const a of answers) {
        expect(a.status).toBe(303);
        expect(a.headers.location).toMatch(/^https:\/\/shop\.example\.kz\/ok\?/);
        expect(new URL(a.headers.location).searchParams.get('status')).toBe('charged');
      }
    } finally {
      t.sandbox.control.setLatency(0);
    }
    expect(t.sandbox.control.requestCount('confirm')).toBe(confirms + 1);
    expect((await api(t).get(`/v1/payments/${id}`)).body.status).toBe('charged');
  });
});
