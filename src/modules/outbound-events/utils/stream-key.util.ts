// The ordering stream of an event: a payment's own events and those of its refunds share the payment's
// stream, so an endpoint never sees refund.succeeded before the payment.succeeded it refunds.
export function streamKeyFor(aggregateType: string, aggregateId: string, data: Record<string, unknown>): string {
  if (aggregateType === 'payment') return `payment:${aggregateId}`;
  const paymentId = data['paymentId'];
  if (typeof paymentId === 'string' && paymentId.length > 0) return `payment:${paymentId}`;
  return `${aggregateType}:${aggregateId}`;
}
