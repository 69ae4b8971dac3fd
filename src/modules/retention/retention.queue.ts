import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfigService } from '../../config/app-config.service';
import { MetricsService } from '../../metrics/metrics.service';
import type { ReconciliationQueue } from '../status/reconciliation-queue.interface';
import { LeasedClaims, rowsOf } from '../status/utils/leased-claims';

type DaysSetting =
  | 'RETENTION_GATEWAY_EXCHANGES_DAYS'
  | 'RETENTION_POSTLINK_CALLBACKS_DAYS'
  | 'RETENTION_OUTBOUND_ATTEMPTS_DAYS'
  | 'RETENTION_PAYMENT_EVENT_PAYLOADS_DAYS'
  | 'RETENTION_CUSTOMER_SESSIONS_DAYS';

interface RetentionJob {
  days: DaysSetting;
  // one batch: $1 = days, $2 = batch size; SKIP LOCKED so two replicas never wait on each other's rows
  sql: string;
}

const batchDelete = (table: string, at: string) =>
  `WITH gone AS (
     DELETE FROM ${table} WHERE id IN (
       SELECT id FROM ${table} WHERE ${at} < now() - $1 * interval '1 day' ORDER BY ${at} LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING 1)
   SELECT count(*)::int AS n FROM gone`;

// Rows kept for investigation that nothing reads once old: bank exchanges, postLink callbacks and outbound
// delivery attempts go; payment events stay (the status history) but lose their raw bank payload.
export const RETENTION_JOBS: Record<string, RetentionJob> = {
  gateway_exchanges: { days: 'RETENTION_GATEWAY_EXCHANGES_DAYS', sql: batchDelete('gateway_exchanges', 'created_at') },
  postlink_callbacks: {
    days: 'RETENTION_POSTLINK_CALLBACKS_DAYS',
    sql: batchDelete('postlink_callbacks', 'received_at'),
  },
  outbound_delivery_attempts: {
    days: 'RETENTION_OUTBOUND_ATTEMPTS_DAYS',
    sql: batchDelete('outbound_delivery_attempts', 'created_at'),
  },
  // customer sessions are dead once expired; kept a little for investigation
  customer_sessions: { days: 'RETENTION_CUSTOMER_SESSIONS_DAYS', sql: batchDelete('customer_sessions', 'expires_at') },
  payment_event_payloads: {
    days: 'RETENTION_PAYMENT_EVENT_PAYLOADS_DAYS',
    sql: `WITH cleared AS (
            UPDATE payment_events SET data = NULL WHERE id IN (
              SELECT id FROM payment_events WHERE data IS NOT NULL AND created_at < now() - $1 * interval '1 day'
               ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING 1)
          SELECT count(*)::int AS n FROM cleared`,
  },
};

// batches one claim may run before it hands the job back (due again at once when rows are left)
const MAX_BATCHES_PER_RUN = 20;

// Retention as one more queue of the reconciliation poller: each table is a row of retention_jobs,
// claimed with the same lease (one replica prunes a table at a time, a crashed one's claim expires),
// pruned in batches of RETENTION_BATCH_SIZE rows, and rescheduled RETENTION_INTERVAL_MS later.
@Injectable()
export class RetentionQueue implements ReconciliationQueue {
  readonly name = 'retention';
  private readonly logger = new Logger(RetentionQueue.name);
  private readonly claims: LeasedClaims;
  private readonly removed;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfigService,
    metrics: MetricsService,
  ) {
    this.claims = new LeasedClaims(dataSource, 'retention_jobs');
    this.removed = metrics.counter(
      'retention_rows_removed_total',
      'Rows deleted (payment_event_payloads: payloads cleared) by the retention job',
      ['table'],
    );
  }

  claimDue(limit: number, leaseMs: number): Promise<string[]> {
    if (!this.config.get('RETENTION_ENABLED')) return Promise.resolve([]);
    return this.claims.claim(limit, leaseMs);
  }

  async reconcile(id: string): Promise<'changed' | 'unchanged' | 'error'> {
    const claim = this.claims.take(id);
    if (claim.expired) return 'error';
    const job = RETENTION_JOBS[id];
    if (!job) {
      await this.claims.retire(id, claim.lease);
      return 'unchanged';
    }
    const days = this.config.get(job.days);
    const batchSize = this.config.get('RETENTION_BATCH_SIZE');
    let removed = 0;
    let full = false;
    if (days > 0) {
      for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
        const [row] = rowsOf<{ n: number }>(await this.dataSource.query(job.sql, [days, batchSize]));
        removed += row.n;
        this.removed.inc({ table: id }, row.n);
        full = row.n === batchSize;
        if (!full) break;
      }
    }
    await this.dataSource.query(
      `UPDATE retention_jobs SET next_check_at = now() + $2 * interval '1 millisecond', lease_until = NULL,
              last_run_at = now(), last_removed = $3, total_removed = total_removed + $3
        WHERE id = $1${this.claims.fence(claim.lease, 4)}`,
      [id, full ? 0 : this.config.get('RETENTION_INTERVAL_MS'), removed, ...(claim.lease ? [claim.lease] : [])],
    );
    if (removed) this.logger.log({ table: id, removed, olderThanDays: days, more: full }, 'retention run');
    return removed ? 'changed' : 'unchanged';
  }

  oldestDueLagSeconds(): Promise<number> {
    return this.claims.oldestDueLagSeconds();
  }
}
