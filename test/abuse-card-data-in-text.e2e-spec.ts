import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { api, waitFor } from './setup/api';
import { CARDS, findCardData, paymentBody } from './setup/fixtures';
import { startTestApp, TestApp } from './setup/test-app';

// Card numbers where none belong: in the request id (bound to every log line, beyond redaction), glued
// to letters, and in free-text fields that are stored and sent on.
const PAN = CARDS.approve.number;

describe('card numbers in request ids and free text (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('replaces an X-Request-Id that holds a card number; keeps a harmless one', async () => {
    for (const id of [PAN, `x${PAN}`, '4405-6397-0401-5096', `order:${PAN}:1`, `${PAN.slice(0, 8)}.${PAN.slice(8)}`]) {
      const res = await request(t.url).get('/v1/me').set('X-API-Key', t.clientKey).set('X-Request-Id', id).expect(200);
      expect(res.headers['x-request-id']).not.toBe(id);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    const kept = await request(t.url).get('/v1/me').set('X-API-Key', t.clientKey).set('X-Request-Id', 'shop-42.a:b');
    expect(kept.headers['x-request-id']).toBe('shop-42.a:b');
    // a failing request logs more lines: none may carry the number
    await request(t.url).get('/v1/payments/not-a-uuid').set('X-API-Key', t.clientKey).set('X-Request-Id', PAN);
    await waitFor(async () => t.readLogs().includes('shop-42.a:b'));
    expect(findCardData(t.readLogs())).toEqual([]);
  });

  it('masks card numbers in description, payer name, metadata and refund reasons (also next to letters)', async () => {
    const created = await api(t)
      .post(
        '/v1/payments/card',
        paymentBody({
          card: { ...CARDS.approve, holder: `ARMAN ${PAN}` },
          description: `Order 42, paid by card x${PAN}y`,
          name: `Arman 4405 6397 0401 5096`,
          metadata: { note: `card 4405-6397-0401-5096`, nested: { list: [`#${PAN}`] }, orderNo: '1234567890128' },
        }),
      )
      .expect(201);
    expect(created.body.status).toBe('charged');
    expect(created.body.description).toBe('Order 42, paid by card x440563...5096y');
    expect(created.body.metadata).toEqual({
      note: 'card 440563...5096',
      nested: { list: ['#440563...5096'] },
      // not a card number (no Luhn / no network prefix): kept
      orderNo: '1234567890128',
    });
    const refund = await api(t, 'admin')
      .post(
        `/v1/admin/payments/${created.body.id}/refund`,
        { amount: 2000, reason: `customer asked, card ${PAN}` },
        { 'Idempotency-Key': randomUUID() },
      )
      .expect(201);
    expect(JSON.stringify(refund.body)).not.toContain(PAN);

    const dump = await t.dumpDatabase();
    expect(findCardData(dump)).toEqual([]);
    expect(dump).toContain('customer asked, card 440563...5096');
    const lines = t
      .readLogs()
      .split('\n')
      .filter((l) => findCardData(l).length);
    expect(lines).toEqual([]);
  });

  it('refuses an Idempotency-Key holding a card number with a 400 naming the header', async () => {
    const res = await api(t).post('/v1/payments/card', paymentBody({ card: CARDS.approve }), {
      'Idempotency-Key': `pay-${PAN}`,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'Idempotency-Key', message: 'must not contain a card number' }]);
  });
});
