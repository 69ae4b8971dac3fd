import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ClaimedDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  claimToken: string;
  attemptCount: number;
  totalAttempts: number;
  eventType: string;
  eventData: Record<string, unknown>;
  eventCreatedAt: Date;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

export interface AttemptRecord {
  deliveryId: string;
  claimToken: string;
  eventId: string;
  endpointId: string;
  attempt: number;
  worker: string;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  success: boolean;
  responseExcerpt: string | null;
  error: string | null;
}

export type AttemptOutcome = { kind: 'delivered' } | { kind: 'retry'; delayMs: number } | { kind: 'dead' };

// Claims due deliveries for this replica in one statement. A delivery is due when it is open, its time has
// come, nobody holds a live lease on it, its endpoint is enabled, and no earlier event of the same stream
// is still open for the same endpoint: per (endpoint, stream) only the head of the queue can be claimed, so
// event N+1 is never sent before event N was delivered or given up (dead). SKIP LOCKED lets replicas claim
// side by side; the lease and claim token make a crashed replica's deliveries claimable again later.
// The CTE is materialised (FOR UPDATE forces it), so the LIMIT applies exactly once. Ordered by due time only:
// the index then stops after n heads (a second sort key made a 20k backlog cost 20 ms instead of 3.5 ms).
const CLAIM_SQL = `
  WITH due AS (
    SELECT c.id FROM outbound_deliveries c
    JOIN outbound_webhook_endpoints w ON w.id = c.endpoint_id
    WHERE c.status IN ('pending', 'failed')
      AND c.next_attempt_at <= now()
      AND (c.lease_until IS NULL OR c.lease_until < now())
      AND w.enabled AND w.deleted_at IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM outbound_deliveries p
        WHERE p.endpoint_id = c.endpoint_id AND p.stream_key = c.stream_key
          AND p.stream_seq < c.stream_seq AND p.status IN ('pending', 'failed'))
    ORDER BY c.next_attempt_at
    LIMIT $1
    FOR UPDATE OF c SKIP LOCKED
  )
  UPDATE outbound_deliveries d
  SET lease_until = now() + $2 * interval '1 millisecond',
      claim_token = $3,
      attempt_count = d.attempt_count + 1,
      total_attempts = d.total_attempts + 1,
      last_attempt_at = now(),
      updated_at = now()
  FROM outbound_events e, outbound_webhook_endpoints w
  WHERE d.id IN (SELECT id FROM due) AND e.id = d.event_id AND w.id = d.endpoint_id
  RETURNING d.id, d.event_id, d.endpoint_id, d.claim_token, d.attempt_count, d.total_attempts,
            e.type, e.data, e.created_at, w.url, w.secret, w.previous_secret, w.previous_secret_expires_at`;

// Stores the attempt and settles the delivery in one statement; the claim token check makes a replica
// whose lease ran out (or whose delivery was replayed meanwhile) record its attempt without touching state.
const SETTLE_SQL = `
  WITH attempt AS (
    INSERT INTO outbound_delivery_attempts
      (delivery_id, event_id, endpoint_id, attempt, worker, started_at, duration_ms, status_code, success, response_excerpt, error)
    VALUES ($1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
    RETURNING id
  )
  UPDATE outbound_deliveries SET
    status = $13,
    next_attempt_at = CASE WHEN $13 = 'failed' THEN now() + $14 * interval '1 millisecond' ELSE next_attempt_at END,
    delivered_at = CASE WHEN $13 = 'delivered' THEN now() ELSE delivered_at END,
    dead_at = CASE WHEN $13 = 'dead' THEN now() ELSE dead_at END,
    last_status_code = $9,
    last_error = $12,
    lease_until = NULL,
    claim_token = NULL,
    updated_at = now()
  WHERE id = $1 AND claim_token = $2
  RETURNING id`;

const BACKLOG_SQL = `
  SELECT count(*)::int AS open,
         COALESCE(EXTRACT(EPOCH FROM now() - min(event_created_at)), 0)::float AS oldest_seconds
  FROM outbound_deliveries WHERE status IN ('pending', 'failed')`;

interface ClaimRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  claim_token: string;
  attempt_count: number;
  total_attempts: number;
  type: string;
  data: Record<string, unknown>;
  created_at: Date;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

@Injectable()
export class OutboundDeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async claim(limit: number, leaseMs: number, claimToken: string): Promise<ClaimedDelivery[]> {
    // TypeORM answers an UPDATE with [rows, affected]
    const [rows] = (await this.dataSource.query(CLAIM_SQL, [limit, leaseMs, claimToken])) as [ClaimRow[], number];
    return rows
      .map((r) => ({
        id: r.id,
        eventId: r.event_id,
        endpointId: r.endpoint_id,
        claimToken: r.claim_token,
        attemptCount: r.attempt_count,
        totalAttempts: r.total_attempts,
        eventType: r.type,
        eventData: r.data,
        eventCreatedAt: r.created_at,
        url: r.url,
        secret: r.secret,
        previousSecret: r.previous_secret,
        previousSecretExpiresAt: r.previous_secret_expires_at,
      }))
      .sort((a, b) => a.eventCreatedAt.getTime() - b.eventCreatedAt.getTime());
  }

  // false when the claim was lost (lease expired and taken over, or replayed): state left as the new owner set it
  async settle(record: AttemptRecord, outcome: AttemptOutcome): Promise<boolean> {
    const status = outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' ? 'failed' : 'dead';
    const [rows] = (await this.dataSource.query(SETTLE_SQL, [
      record.deliveryId,
      record.claimToken,
      record.eventId,
      record.endpointId,
      record.attempt,
      record.worker,
      record.startedAt,
      record.durationMs,
      record.statusCode,
      record.success,
      record.responseExcerpt,
      record.error,
      status,
      outcome.kind === 'retry' ? outcome.delayMs : 0,
    ])) as [unknown[], number];
    // a data-modifying CTE always runs: the attempt is stored even when the claim was lost
    return rows.length > 0;
  }

  // Undoes claims whose attempt never started (shutdown), so they are due again at once.
  async release(ids: string[], claimToken: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbound_deliveries SET lease_until = NULL, claim_token = NULL, attempt_count = attempt_count - 1,
         total_attempts = total_attempts - 1, updated_at = now()
       WHERE id = ANY ($1::uuid[]) AND claim_token = $2`,
      [ids, claimToken],
    );
  }

  async backlog(): Promise<{ open: number; oldestSeconds: number }> {
    const [row] = (await this.dataSource.query(BACKLOG_SQL)) as { open: number; oldest_seconds: number }[];
    return { open: row.open, oldestSeconds: Number(row.oldest_seconds) };
  }
}
