import type { TestApp } from './test-app';
import { api } from './api';
import { CARDS, paymentBody } from './fixtures';

// A card payment the bank charged while we saw only a 500: ours stays unknown until someone asks.
export async function unknownButCharged(t: TestApp): Promise<{ id: string; invoiceId: string }> {
  t.sandbox.control.addFault({ path: 'cryptopay', type: 'commit-then-500' });
  const res = await api(t)
    .post('/v1/payments/card', paymentBody({ card: CARDS.approveAny }))
    .expect(201);
  expect(res.body.status).toBe('unknown');
  expect(t.sandbox.control.getTransaction(res.body.invoiceId)?.statusName).toBe('CHARGE');
  return res.body;
}
