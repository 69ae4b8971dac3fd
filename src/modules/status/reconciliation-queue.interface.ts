// A kind of record the scheduled poller reconciles with ePay (payments, transfers, refunds). Each
// module that owns such records implements one and registers it with ReconciliationRegistry.
export interface ReconciliationQueue {
  // 'payments' | 'transfers' | 'refunds'
  readonly name: string;
  // Claim up to `limit` items that are due (next_check_at <= now, no live lease) with
  // FOR UPDATE SKIP LOCKED, setting lease_until = now + leaseMs; returns their ids. Safe with several
  // replicas: an item is claimed by one replica at a time, and a crashed replica's lease expires.
  claimDue(limit: number, leaseMs: number): Promise<string[]>;
  // Ask ePay about one claimed item, apply the answer, reschedule it (next_check_at with backoff, or
  // null when final), flag it needs_attention past the age limit, and release the lease.
  reconcile(id: string): Promise<'changed' | 'unchanged' | 'error'>;
  // Seconds since the oldest due item became due (0 when none): the poller's lag metric.
  oldestDueLagSeconds(): Promise<number>;
}
