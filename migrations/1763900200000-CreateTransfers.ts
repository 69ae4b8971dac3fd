import type { MigrationInterface, QueryRunner } from 'typeorm';

// P2P card-to-card transfers (issue #5) and their status history. Card numbers never reach this table:
// only the masks the bank (or we, first six + last four) produce.
export class CreateTransfers1763900200000 implements MigrationInterface {
  name = 'CreateTransfers1763900200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE transfers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id text NOT NULL,
        status text NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        fee bigint CHECK (fee >= 0),
        currency char(3) NOT NULL,
        description text,
        account_id text NOT NULL,
        sender_email text,
        back_link text,
        failure_back_link text,
        metadata jsonb,
        save_sender_card boolean NOT NULL DEFAULT false,
        epay_transaction_id text,
        reference text,
        int_reference text,
        approval_code text,
        sender_transfer_type text NOT NULL,
        sender_card_mask text,
        sender_card_type text,
        sender_saved_card_id uuid REFERENCES saved_cards (id),
        receiver_transfer_type text NOT NULL,
        receiver_card_mask text,
        receiver_card_type text,
        receiver_saved_card_id uuid REFERENCES saved_cards (id),
        failure_code text,
        failure_message text,
        api_key_id uuid,
        needs_attention boolean NOT NULL DEFAULT false,
        attention_reason text,
        next_check_at timestamptz,
        check_attempts int NOT NULL DEFAULT 0,
        last_checked_at timestamptz,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finalized_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_transfers_order_id" ON transfers (order_id)`);
    // the poller's work queue: only rows still in flight are indexed
    await q.query(`CREATE INDEX "IDX_transfers_due" ON transfers (next_check_at) WHERE next_check_at IS NOT NULL`);
    // admin lists (newest first, keyset on created_at, id), by account or status
    await q.query(`CREATE INDEX "IDX_transfers_created" ON transfers (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX "IDX_transfers_status_created" ON transfers (status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX "IDX_transfers_account_created" ON transfers (account_id, created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX "IDX_transfers_epay_txn" ON transfers (epay_transaction_id) WHERE epay_transaction_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "IDX_transfers_attention" ON transfers (created_at DESC, id DESC) WHERE needs_attention`,
    );

    // Same shape as payment_events, own table: a real foreign key, and no change to a table other
    // modules read and write.
    await q.query(`
      CREATE TABLE transfer_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        transfer_id uuid NOT NULL REFERENCES transfers (id) ON DELETE CASCADE,
        from_status text,
        to_status text NOT NULL,
        source text NOT NULL,
        reason text,
        exchange_id uuid,
        actor text,
        data jsonb,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX "IDX_transfer_events_transfer" ON transfer_events (transfer_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE transfer_events`);
    await q.query(`DROP TABLE transfers`);
  }
}
