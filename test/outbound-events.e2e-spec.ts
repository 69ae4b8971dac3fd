import request from 'supertest';
import { DomainEvents } from '../src/common/events/domain-events.service';
import { PaymentStateService } from '../src/modules/payments/payment-state.service';
import { PaymentEventSource, PaymentStatus } from '../src/modules/payments/payment-status.enum';
import { api, waitFor } from './setup/api';
import { CARDS, findCardData, paymentBody } from './setup/fixtures';
import { freePort, startTestApp, TestApp } from './setup/test-app';
import { verifyIndependently, WebhookReceiver } from './outbound-events.receiver';

// Outbound events over HTTP: real payment flows write the outbox, the worker of the app delivers to a
// receiver in this process that verifies signatures with its own code (outbound-events.receiver.ts).

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ones = (n: number) => Array(n).fill('1').join(',');

async function createEndpoint(t: TestApp, receiver: WebhookReceiver, path: string, eventTypes: string[]) {
  const res = await api(t, 'admin')
    .post('/v1/admin/webhook-endpoints', { url: `${receiver.baseUrl}${path}`, eventTypes })
    .expect(201);
  receiver.secrets.set(path, [res.body.secret]);
  return res.body as { id: string; secret: string; secretPrefix: string };
}

async function deleteAllEndpoints(t: TestApp) {
  const list = await api(t, 'admin').get('/v1/admin/webhook-endpoints').expect(200);
  for (const e of list.body) await api(t, 'admin').del(`/v1/admin/webhook-endpoints/${e.id}`).expect(204);
}

const patch = (t: TestApp, path: string, body: object) =>
  request(t.url).patch(path).set('X-API-Key', t.adminKey).send(body);

async function count(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return n;
}

describe('outbound events (e2e)', () => {
  let t: TestApp;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({
      env: {
        OUTBOUND_EVENTS_ENABLED: 'true',
        // the receiver listens on 127.0.0.1
        WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
        OUTBOUND_EVENTS_INTERVAL_MS: '100',
        OUTBOUND_EVENTS_TIMEOUT_MS: '2000',
        OUTBOUND_EVENTS_RETRY_SECONDS: ones(30),
      },
    });
    // the specs move payments to refunded without the bank; a postLink saying CHARGE would (rightly) flag
    // them for attention and add payment.needs_attention events to the streams under test
    t.sandbox.control.setPostLink({ dropRate: 1 });
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });
  afterEach(async () => {
    await deleteAllEndpoints(t);
    receiver.receptions.length = 0;
    receiver.secrets.clear();
    receiver.reply = () => ({ status: 200, body: 'ok' });
  });

  describe('admin API for endpoints', () => {
    it('creates (secret once), lists, reads, updates, disables, enables, rotates and deletes', async () => {
      const admin = api(t, 'admin');
      const created = await admin
        .post('/v1/admin/webhook-endpoints', {
          url: `${receiver.baseUrl}/crud`,
          eventTypes: ['payment.succeeded'],
          description: 'ERP',
        })
        .expect(201);
      expect(created.body).toMatchObject({
        url: `${receiver.baseUrl}/crud`,
        eventTypes: ['payment.succeeded'],
        description: 'ERP',
        enabled: true,
        secret: expect.stringMatching(/^whsec_[0-9a-f]{64}$/),
        previousSecretExpiresAt: null,
      });
      expect(created.body.secretPrefix).toBe(created.body.secret.slice(0, 10));
      const id = created.body.id;

      const list = await admin.get('/v1/admin/webhook-endpoints').expect(200);
      expect(list.body).toHaveLength(1);
      expect(list.body[0]).not.toHaveProperty('secret');
      const one = await admin.get(`/v1/admin/webhook-endpoints/${id}`).expect(200);
      expect(one.body).not.toHaveProperty('secret');
      expect(JSON.stringify(one.body)).not.toContain(created.body.secret);

      const updated = await patch(t, `/v1/admin/webhook-endpoints/${id}`, {
        eventTypes: ['payment.failed', 'refund.succeeded'],
        description: null,
      }).expect(200);
      expect(updated.body).toMatchObject({ eventTypes: ['payment.failed', 'refund.succeeded'], description: null });

      expect((await admin.post(`/v1/admin/webhook-endpoints/${id}/disable`, {}).expect(200)).body.enabled).toBe(false);
      expect((await admin.post(`/v1/admin/webhook-endpoints/${id}/enable`, {}).expect(200)).body.enabled).toBe(true);

      const rotated = await admin
        .post(`/v1/admin/webhook-endpoints/${id}/rotate-secret`, { graceHours: 2 })
        .expect(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(created.body.secret);
      expect(new Date(rotated.body.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now() + 3600_000);

      await admin.del(`/v1/admin/webhook-endpoints/${id}`).expect(204);
      const gone = await admin.get(`/v1/admin/webhook-endpoints/${id}`).expect(404);
      expect(gone.body.error.code).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
      await admin.del(`/v1/admin/webhook-endpoints/${id}`).expect(404);

      // the secrets are never logged
      await sleep(200);
      const logs = t.readLogs();
      expect(logs).not.toContain(created.body.secret);
      expect(logs).not.toContain(rotated.body.secret);
    });

    it('refuses bad input naming the field, and client keys', async () => {
      const admin = api(t, 'admin');
      const badUrl = await admin
        .post('/v1/admin/webhook-endpoints', { url: 'ftp://x.example/', eventTypes: ['payment.succeeded'] })
        .expect(400);
      expect(badUrl.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'url', message: expect.any(String) }],
      });
      const creds = await admin
        .post('/v1/admin/webhook-endpoints', { url: 'https://u:p@x.example/', eventTypes: ['*'] })
        .expect(400);
      expect(creds.body.error.details[0].field).toBe('url');
      const badType = await admin
        .post('/v1/admin/webhook-endpoints', { url: 'https://x.example/', eventTypes: ['payment.exploded'] })
        .expect(400);
      expect(badType.body.error.details[0].field).toBe('eventTypes');
      const none = await admin
        .post('/v1/admin/webhook-endpoints', { url: 'https://x.example/', eventTypes: [] })
        .expect(400);
      expect(none.body.error.details[0].field).toBe('eventTypes');
      const extra = await admin
        .post('/v1/admin/webhook-endpoints', { url: 'https://x.example/', eventTypes: ['*'], secret: 'mine' })
        .expect(400);
      expect(extra.body.error.details[0].field).toBe('secret');
      const grace = await admin
        .post(`/v1/admin/webhook-endpoints/00000000-0000-4000-8000-000000000000/rotate-secret`, { graceHours: 1000 })
        .expect(400);
      expect(grace.body.error.details[0].field).toBe('graceHours');
      const range = await admin
        .post('/v1/admin/webhook-events/replay', { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })
        .expect(400);
      expect(range.body.error.details[0].field).toBe('to');
      await admin.get('/v1/admin/webhook-events?cursor=nope').expect(400);
      await admin.get('/v1/admin/webhook-events/00000000-0000-4000-8000-000000000000').expect(404);

      await api(t, 'client')
        .post('/v1/admin/webhook-endpoints', { url: 'https://x.example/', eventTypes: ['*'] })
        .expect(403);
      await api(t, 'client').get('/v1/admin/webhook-events').expect(403);
    });
  });

  describe('real payment flows', () => {
    it('a card payment sends payment.succeeded, signed, with the same public representation as the API', async () => {
      const succeeded = await createEndpoint(t, receiver, '/succeeded-only', ['payment.succeeded']);
      await createEndpoint(t, receiver, '/all', ['*']);

      const paid = await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.approve }))
        .expect(201);
      const declined = await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.insufficientFunds }))
        .expect(201);
      const threeDs = await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.threeDsAny }))
        .expect(201);

      await waitFor(
        async () => receiver.accepted('/all').length >= 3 && receiver.accepted('/succeeded-only').length >= 1,
        10_000,
      );
      await sleep(300);

      const only = receiver.accepted('/succeeded-only');
      expect(only.map((r) => r.type)).toEqual(['payment.succeeded']);
      const [event] = only;
      // headers and envelope as documented
      expect(event.headers['content-type']).toMatch(/^application\/json/);
      expect(event.headers['epay-webhook-id']).toBe(event.body.id);
      expect(event.headers['epay-webhook-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
      expect(Object.keys(event.body)).toEqual(['id', 'type', 'created', 'data']);
      expect(event.verifiedWith).toEqual([succeeded.secret]);
      // the receiver's clock check: timestamp within 5 minutes of now
      expect(Math.abs(Number(event.headers['epay-webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);

      const api1 = await api(t).get(`/v1/payments/${paid.body.id}`).expect(200);
      expect(event.body.data).toEqual(api1.body);
      expect(event.body.data).toMatchObject({
        status: 'charged',
        card: { mask: expect.stringMatching(/5096$/), last4: '5096' },
      });

      const all = receiver.accepted('/all');
      expect(all.every((r) => r.verifiedWith.length === 1)).toBe(true);
      const byPayment = new Map(all.map((r) => [r.body.data.id, r]));
      expect(byPayment.get(paid.body.id)!.type).toBe('payment.succeeded');
      expect(byPayment.get(declined.body.id)!.type).toBe('payment.failed');
      expect(byPayment.get(declined.body.id)!.body.data.failure).toEqual({
        code: 'epay_484',
        message: 'Insufficient funds',
      });
      expect(byPayment.get(threeDs.body.id)!.type).toBe('payment.requires_action');
      expect(byPayment.get(threeDs.body.id)!.body.data.nextAction).toEqual({
        type: 'redirect',
        url: `${t.url}/v1/three-ds/${threeDs.body.id}`,
      });
      // the same event id goes to both endpoints
      expect(byPayment.get(paid.body.id)!.id).toBe(event.id);

      // masked cards only: nothing sent, stored or logged carries a card number
      expect(findCardData(receiver.receptions.map((r) => r.raw).join('\n'))).toEqual([]);
      const outbox = await t.dataSource.query(`SELECT data::text AS d FROM outbound_events`);
      expect(findCardData(outbox.map((r: { d: string }) => r.d).join('\n'))).toEqual([]);
      expect(findCardData(t.readLogs())).toEqual([]);
    });
  });

  describe('delivery', () => {
    // charged → partially refunded twice → refunded: four events in one payment's stream
    async function paymentWithFourEvents(): Promise<string> {
      const state = t.app.get(PaymentStateService);
      const paid = await api(t)
        .post('/v1/payments/card', paymentBody({ amount: 10050, card: CARDS.approveAny }))
        .expect(201);
      for (const [to, refundedAmount] of [
        [PaymentStatus.PARTIALLY_REFUNDED, 1000],
        [PaymentStatus.PARTIALLY_REFUNDED, 2000],
        [PaymentStatus.REFUNDED, 10050],
      ] as const) {
        await state.transition(paid.body.id, { to, source: PaymentEventSource.ADMIN, patch: { refundedAmount } });
      }
      return paid.body.id;
    }
    const EXPECTED = [
      'payment.succeeded:0',
      'payment.refunded:1000',
      'payment.refunded:2000',
      'payment.refunded:10050',
    ];
    const sequenceOf = (paymentId: string, path: string) =>
      receiver
        .accepted(path)
        .filter((r) => r.body.data.id === paymentId)
        .map((r) => `${r.type}:${r.body.data.refundedAmount}`);

    it('receiver down for a while, then up: every event arrives once, in order per payment', async () => {
      const down = new WebhookReceiver();
      down.port = await freePort();
      const endpoint = await api(t, 'admin')
        .post('/v1/admin/webhook-endpoints', { url: `${down.baseUrl}/down`, eventTypes: ['*'] })
        .expect(201);
      down.secrets.set('/down', [endpoint.body.secret]);

      const payments: string[] = [];
      for (let i = 0; i < 4; i++) payments.push(await paymentWithFourEvents());
      // nobody listens: attempts fail with a connection error and are retried
      await waitFor(
        async () =>
          (await count(t, `SELECT 1 FROM outbound_delivery_attempts WHERE endpoint_id = $1 AND NOT success`, [
            endpoint.body.id,
          ])) >= 4,
        5000,
      );
      const failures = await t.dataSource.query(
        `SELECT error, status_code FROM outbound_delivery_attempts WHERE endpoint_id = $1`,
        [endpoint.body.id],
      );
      expect(failures[0]).toMatchObject({ error: expect.stringMatching(/ECONNREFUSED/), status_code: null });
      await sleep(1500);

      await down.start();
      try {
        await waitFor(async () => down.accepted().length >= 16, 15_000);
        await sleep(1500); // late duplicates would show up here
        const counts = [...down.acceptedCounts().values()];
        expect(counts).toHaveLength(16);
        expect(counts.every((c) => c === 1)).toBe(true);
        expect(down.accepted().every((r) => r.verifiedWith.length === 1)).toBe(true);
        for (const id of payments) {
          expect(
            down
              .accepted()
              .filter((r) => r.body.data.id === id)
              .map((r) => `${r.type}:${r.body.data.refundedAmount}`),
          ).toEqual(EXPECTED);
        }
        const states = await t.dataSource.query(
          `SELECT status, count(*)::int AS n FROM outbound_deliveries WHERE endpoint_id = $1 GROUP BY status`,
          [endpoint.body.id],
        );
        expect(states).toEqual([{ status: 'delivered', n: 16 }]);
      } finally {
        await down.stop();
      }
    });

    it('a failed event holds back the later events of its payment (to that endpoint) until it is delivered', async () => {
      await createEndpoint(t, receiver, '/hol', ['*']);
      const refusedOnce = new Set<string>();
      receiver.reply = (r) => {
        if (r.type === 'payment.succeeded' && !refusedOnce.has(r.id)) {
          refusedOnce.add(r.id);
          return { status: 503, body: 'busy' };
        }
        return { status: 200 };
      };
      const payments = [await paymentWithFourEvents(), await paymentWithFourEvents()];
      await waitFor(async () => receiver.accepted('/hol').length >= 8, 15_000);
      for (const id of payments) {
        const all = receiver.receptions.filter((r) => r.body.data.id === id).map((r) => `${r.status}:${r.type}`);
        // the refused first event was retried before anything later of the same payment was sent
        expect(all).toEqual([
          '503:payment.succeeded',
          '200:payment.succeeded',
          '200:payment.refunded',
          '200:payment.refunded',
          '200:payment.refunded',
        ]);
        expect(sequenceOf(id, '/hol')).toEqual(EXPECTED);
      }
    });

    it('a change that rolls back leaves no event, no delivery and sends nothing', async () => {
      const endpoint = await createEndpoint(t, receiver, '/rollback', ['*']);
      const paid = await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
        .expect(201);
      await waitFor(async () => receiver.accepted('/rollback').length >= 1, 5000);

      const state = t.app.get(PaymentStateService);
      const domainEvents = t.app.get(DomainEvents);
      let seenInside = 0;
      await expect(
        t.dataSource.transaction(async (m) => {
          await state.transition(
            paid.body.id,
            { to: PaymentStatus.PARTIALLY_REFUNDED, source: PaymentEventSource.ADMIN, patch: { refundedAmount: 500 } },
            m,
          );
          await domainEvents.record(m, {
            type: 'refund.succeeded',
            aggregateType: 'refund',
            aggregateId: 'r-rolled-back',
            data: { paymentId: paid.body.id, amount: 500 },
          });
          // inside the transaction the outbox and its deliveries exist...
          const [{ n }] = await m.query(
            `SELECT count(*)::int AS n FROM outbound_events e JOIN outbound_deliveries d ON d.event_id = e.id WHERE e.stream_key = $1`,
            [`payment:${paid.body.id}`],
          );
          seenInside = n;
          throw new Error('boom after the outbox write');
        }),
      ).rejects.toThrow('boom');
      expect(seenInside).toBe(3);

      // ...and after the rollback nothing of them remains or goes out
      await sleep(600);
      expect(await count(t, `SELECT 1 FROM outbound_events WHERE stream_key = $1`, [`payment:${paid.body.id}`])).toBe(
        1,
      );
      expect(
        await count(t, `SELECT 1 FROM outbound_deliveries WHERE stream_key = $1`, [`payment:${paid.body.id}`]),
      ).toBe(1);
      expect(await count(t, `SELECT 1 FROM outbound_events WHERE aggregate_id = 'r-rolled-back'`)).toBe(0);
      expect(receiver.accepted('/rollback').map((r) => r.type)).toEqual(['payment.succeeded']);
      expect((await api(t).get(`/v1/payments/${paid.body.id}`).expect(200)).body.status).toBe('charged');

      // the stream has no gap: the next committed event of the payment is number 2
      await t.dataSource.transaction((m) =>
        domainEvents.record(m, {
          type: 'refund.succeeded',
          aggregateType: 'refund',
          aggregateId: 'r-committed',
          data: { paymentId: paid.body.id, amount: 500 },
        }),
      );
      await waitFor(async () => receiver.accepted('/rollback').length >= 2, 5000);
      const [{ stream_seq }] = await t.dataSource.query(
        `SELECT stream_seq FROM outbound_events WHERE aggregate_id = 'r-committed'`,
      );
      expect(Number(stream_seq)).toBe(2);
      expect(receiver.accepted('/rollback').map((r) => r.type)).toEqual(['payment.succeeded', 'refund.succeeded']);
      expect(receiver.accepted('/rollback')[1].verifiedWith).toEqual([endpoint.secret]);
    });

    it('signatures: independent HMAC check; after a rotation both secrets sign during the grace period', async () => {
      const endpoint = await createEndpoint(t, receiver, '/sig', ['transfer.succeeded']);
      const domainEvents = t.app.get(DomainEvents);
      const emit = (id: string) =>
        t.dataSource.transaction((m) =>
          domainEvents.record(m, {
            type: 'transfer.succeeded',
            aggregateType: 'transfer',
            aggregateId: id,
            data: { id, amount: 100 },
          }),
        );

      await emit('tr-1');
      await waitFor(async () => receiver.accepted('/sig').length >= 1, 5000);
      const first = receiver.accepted('/sig')[0];
      expect(first.verifiedWith).toEqual([endpoint.secret]);
      // tampering with the body, the timestamp or the secret breaks it
      expect(
        verifyIndependently(endpoint.secret, first.headers, first.raw.replace('"amount":100', '"amount":900')),
      ).toBe(false);
      expect(
        verifyIndependently(
          endpoint.secret,
          { ...first.headers, 'epay-webhook-timestamp': String(Number(first.headers['epay-webhook-timestamp']) + 1) },
          first.raw,
        ),
      ).toBe(false);
      expect(verifyIndependently('whsec_wrong', first.headers, first.raw)).toBe(false);
      // a receiver refuses a request older than 5 minutes even with a good signature
      expect(verifyIndependently(endpoint.secret, first.headers, first.raw, Date.now() + 301_000)).toBe(false);

      const rotated = await api(t, 'admin')
        .post(`/v1/admin/webhook-endpoints/${endpoint.id}/rotate-secret`, { graceHours: 1 })
        .expect(200);
      receiver.secrets.set('/sig', [rotated.body.secret, endpoint.secret]);
      await emit('tr-2');
      await waitFor(async () => receiver.accepted('/sig').length >= 2, 5000);
      const second = receiver.accepted('/sig')[1];
      expect(String(second.headers['epay-webhook-signature'])).toMatch(/^v1=[0-9a-f]{64} v1=[0-9a-f]{64}$/);
      expect(second.verifiedWith.sort()).toEqual([rotated.body.secret, endpoint.secret].sort());

      const revoked = await api(t, 'admin')
        .post(`/v1/admin/webhook-endpoints/${endpoint.id}/rotate-secret`, { graceHours: 0 })
        .expect(200);
      receiver.secrets.set('/sig', [revoked.body.secret, rotated.body.secret]);
      await emit('tr-3');
      await waitFor(async () => receiver.accepted('/sig').length >= 3, 5000);
      const third = receiver.accepted('/sig')[2];
      expect(third.verifiedWith).toEqual([revoked.body.secret]);
    });

    it('a disabled endpoint gets nothing new; an endpoint created later gets past events only by replay', async () => {
      const domainEvents = t.app.get(DomainEvents);
      const emit = (id: string) =>
        t.dataSource.transaction((m) =>
          domainEvents.record(m, { type: 'transfer.failed', aggregateType: 'transfer', aggregateId: id, data: { id } }),
        );
      const early = await createEndpoint(t, receiver, '/early', ['transfer.failed']);
      await api(t, 'admin').post(`/v1/admin/webhook-endpoints/${early.id}/disable`, {}).expect(200);
      await emit('tf-while-disabled');
      await api(t, 'admin').post(`/v1/admin/webhook-endpoints/${early.id}/enable`, {}).expect(200);
      await emit('tf-after-enable');
      await waitFor(async () => receiver.accepted('/early').length >= 1, 5000);

      const late = await createEndpoint(t, receiver, '/late', ['transfer.failed']);
      await sleep(500);
      expect(receiver.accepted('/late')).toEqual([]);
      expect(receiver.accepted('/early').map((r) => r.body.data.id)).toEqual(['tf-after-enable']);

      const events = await api(t, 'admin').get('/v1/admin/webhook-events?aggregateId=tf-while-disabled').expect(200);
      expect(events.body.items).toHaveLength(1);
      const eventId = events.body.items[0].id;
      expect(events.body.items[0].deliveries).toEqual([]);
      const replayed = await api(t, 'admin')
        .post(`/v1/admin/webhook-events/${eventId}/replay`, { endpointId: late.id })
        .expect(200);
      expect(replayed.body).toEqual({ replayed: 1 });
      await waitFor(async () => receiver.accepted('/late').length >= 1, 5000);
      expect(receiver.accepted('/late')[0]).toMatchObject({
        id: eventId,
        type: 'transfer.failed',
        verifiedWith: [late.secret],
      });
      expect(receiver.accepted('/early').map((r) => r.body.data.id)).toEqual(['tf-after-enable']);
    });

    it('replays one delivered event with the same id, and lists events and attempts for investigation', async () => {
      const endpoint = await createEndpoint(t, receiver, '/replay', ['payment.succeeded']);
      receiver.reply = () => ({ status: 202, body: 'x'.repeat(5000) });
      const paid = await api(t)
        .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
        .expect(201);
      await waitFor(async () => receiver.accepted('/replay').length >= 1, 5000);
      const eventId = receiver.accepted('/replay')[0].id;

      const replay = await api(t, 'admin').post(`/v1/admin/webhook-events/${eventId}/replay`, {}).expect(200);
      expect(replay.body).toEqual({ replayed: 1 });
      await waitFor(async () => receiver.accepted('/replay').length >= 2, 5000);
      const [a, b] = receiver.accepted('/replay');
      expect(b.id).toBe(a.id);
      expect(b.raw).toBe(a.raw); // same bytes; only timestamp and signature are new

      const event = await api(t, 'admin').get(`/v1/admin/webhook-events/${eventId}`).expect(200);
      expect(event.body).toMatchObject({
        id: eventId,
        type: 'payment.succeeded',
        aggregateType: 'payment',
        aggregateId: paid.body.id,
        sequence: 1,
      });
      expect(event.body.deliveries).toEqual([
        expect.objectContaining({
          endpointId: endpoint.id,
          status: 'delivered',
          totalAttempts: 2,
          replayCount: 1,
          lastStatusCode: 202,
        }),
      ]);
      const attempts = await api(t, 'admin').get(`/v1/admin/webhook-events/${eventId}/attempts`).expect(200);
      expect(attempts.body).toHaveLength(2);
      expect(attempts.body.map((x: { attempt: number }) => x.attempt)).toEqual([1, 2]);
      for (const x of attempts.body) {
        expect(x).toMatchObject({
          success: true,
          statusCode: 202,
          error: null,
          durationMs: expect.any(Number),
          worker: expect.any(String),
        });
        expect(Buffer.byteLength(x.responseExcerpt)).toBeLessThanOrEqual(1024);
      }

      const page = await api(t, 'admin')
        .get(`/v1/admin/webhook-events?type=payment.succeeded&endpointId=${endpoint.id}&limit=1`)
        .expect(200);
      expect(page.body.items.map((e: { id: string }) => e.id)).toEqual([eventId]);
      const deliveries = await api(t, 'admin')
        .get(`/v1/admin/webhook-endpoints/${endpoint.id}/deliveries?status=delivered`)
        .expect(200);
      expect(deliveries.body.items).toEqual([
        expect.objectContaining({ eventId, eventType: 'payment.succeeded', status: 'delivered' }),
      ]);

      // paging walks the whole list without repeats
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await api(t, 'admin')
          .get(`/v1/admin/webhook-events?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200);
        for (const e of res.body.items) {
          expect(seen.has(e.id)).toBe(false);
          seen.add(e.id);
        }
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen.size).toBe(await count(t, `SELECT 1 FROM outbound_events`));
    });
  });
});
