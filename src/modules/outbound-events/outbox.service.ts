import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { streamKeyFor } from './utils/stream-key.util';

export interface OutboxEventInput {
  type: string;
  aggregateType: string;
  aggregateId: string;
  data: Record<string, unknown>;
}

// One statement, run on the caller's transaction: bump the stream's sequence (the row lock makes a later
// event of the same stream wait for this transaction, so sequence order = commit order and a rollback
// leaves no gap), store the event, and fan it out to every live endpoint subscribed to its type.
// Endpoints created later do not get past events; a replay can send them one.
const RECORD_EVENT_SQL = `
  WITH seq AS (
    INSERT INTO outbound_event_streams AS s (stream_key, last_seq) VALUES ($5, 1)
    ON CONFLICT (stream_key) DO UPDATE SET last_seq = s.last_seq + 1
    RETURNING last_seq
  ), event AS (
    INSERT INTO outbound_events (id, type, aggregate_type, aggregate_id, stream_key, stream_seq, data)
    SELECT $1, $2, $3, $4, $5, seq.last_seq, $6::json FROM seq
    RETURNING id, stream_seq, created_at
  )
  INSERT INTO outbound_deliveries (event_id, endpoint_id, stream_key, stream_seq, event_created_at, status, next_attempt_at)
  SELECT event.id, w.id, $5, event.stream_seq, event.created_at, 'pending', event.created_at
  FROM event CROSS JOIN outbound_webhook_endpoints w
  WHERE w.enabled AND w.deleted_at IS NULL AND ($2 = ANY (w.event_types) OR '*' = ANY (w.event_types))
  RETURNING id`;

@Injectable()
export class OutboxService {
  // Must get the EntityManager of the transaction that makes the change: the event then exists
  // if and only if the change commits.
  async record(manager: EntityManager, input: OutboxEventInput): Promise<{ eventId: string; deliveries: number }> {
    const eventId = randomUUID();
    const streamKey = streamKeyFor(input.aggregateType, input.aggregateId, input.data);
    const rows: unknown[] = await manager.query(RECORD_EVENT_SQL, [
      eventId,
      input.type,
      input.aggregateType,
      input.aggregateId,
      streamKey,
      JSON.stringify(input.data),
    ]);
    return { eventId, deliveries: rows.length };
  }
}
