import type { MigrationInterface, QueryRunner } from 'typeorm';

// Outbound events (issue #8): company endpoints, the outbox, one delivery per (event, endpoint), every attempt.
export class CreateOutboundEvents1763900400000 implements MigrationInterface {
  name = 'CreateOutboundEvents1763900400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbound_webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        description text,
        event_types text[] NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    // fan-out reads the live endpoints inside every event's transaction
    await q.query(
      `CREATE INDEX "IDX_outbound_endpoints_live" ON outbound_webhook_endpoints (created_at) WHERE deleted_at IS NULL`,
    );

    // last sequence number per ordering stream (one per payment, refund or transfer); the row lock taken by
    // the upsert orders events of one stream by commit
    await q.query(`
      CREATE TABLE outbound_event_streams (
        stream_key text PRIMARY KEY,
        last_seq bigint NOT NULL
      )`);

    await q.query(`
      CREATE TABLE outbound_events (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id text NOT NULL,
        stream_key text NOT NULL,
        stream_seq bigint NOT NULL,
        data json NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT "UQ_outbound_events_stream_seq" UNIQUE (stream_key, stream_seq)
      )`);
    await q.query(`CREATE INDEX "IDX_outbound_events_created" ON outbound_events (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX "IDX_outbound_events_aggregate" ON outbound_events (aggregate_id, created_at)`);

    await q.query(`
      CREATE TABLE outbound_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id uuid NOT NULL REFERENCES outbound_events (id) ON DELETE CASCADE,
        endpoint_id uuid NOT NULL REFERENCES outbound_webhook_endpoints (id),
        stream_key text NOT NULL,
        stream_seq bigint NOT NULL,
        event_created_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'failed', 'delivered', 'dead', 'cancelled')),
        attempt_count int NOT NULL DEFAULT 0,
        total_attempts int NOT NULL DEFAULT 0,
        replay_count int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        claim_token uuid,
        last_attempt_at timestamptz,
        last_status_code int,
        last_error text,
        delivered_at timestamptz,
        dead_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_outbound_deliveries_event_endpoint" UNIQUE (event_id, endpoint_id)
      )`);
    // the worker's queue: only open deliveries are indexed
    await q.query(
      `CREATE INDEX "IDX_outbound_deliveries_due" ON outbound_deliveries (next_attempt_at) WHERE status IN ('pending', 'failed')`,
    );
    // the ordering check: is an earlier event of this stream still open for this endpoint?
    await q.query(
      `CREATE INDEX "IDX_outbound_deliveries_stream_open" ON outbound_deliveries (endpoint_id, stream_key, stream_seq) WHERE status IN ('pending', 'failed')`,
    );
    await q.query(
      `CREATE INDEX "IDX_outbound_deliveries_status_event_created" ON outbound_deliveries (status, event_created_at)`,
    );
    await q.query(
      `CREATE INDEX "IDX_outbound_deliveries_endpoint_created" ON outbound_deliveries (endpoint_id, created_at DESC, id DESC)`,
    );

    await q.query(`
      CREATE TABLE outbound_delivery_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL REFERENCES outbound_deliveries (id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        endpoint_id uuid NOT NULL,
        attempt int NOT NULL,
        worker text NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms int NOT NULL,
        status_code int,
        success boolean NOT NULL,
        response_excerpt text,
        error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "IDX_outbound_attempts_delivery" ON outbound_delivery_attempts (delivery_id, attempt)`);
    await q.query(`CREATE INDEX "IDX_outbound_attempts_event" ON outbound_delivery_attempts (event_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS outbound_delivery_attempts`);
    await q.query(`DROP TABLE IF EXISTS outbound_deliveries`);
    await q.query(`DROP TABLE IF EXISTS outbound_events`);
    await q.query(`DROP TABLE IF EXISTS outbound_event_streams`);
    await q.query(`DROP TABLE IF EXISTS outbound_webhook_endpoints`);
  }
}
