import { Column } from 'typeorm';

// The columns of every record the reconciliation poller looks after (payments, transfers, refunds,
// charge/cancel operations): its schedule, its claim (see LeasedClaims) and the flag for a human.
export abstract class ReconcilableColumns {
  @Column({ name: 'needs_attention', type: 'boolean', default: false })
  needsAttention: boolean;

  @Column({ name: 'attention_reason', type: 'text', nullable: true })
  attentionReason: string | null;

  // when the poller should look again; null when there is nothing left to learn
  @Column({ name: 'next_check_at', type: 'timestamptz', nullable: true })
  nextCheckAt: Date | null;

  @Column({ name: 'check_attempts', type: 'int', default: 0 })
  checkAttempts: number;

  @Column({ name: 'last_checked_at', type: 'timestamptz', nullable: true })
  lastCheckedAt: Date | null;

  // a poller replica's claim on this row (crash-safe: the lease simply expires)
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;
}
