import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePayments1763900002000 implements MigrationInterface {
  name = 'CreatePayments1763900002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id text NOT NULL,
        invoice_id_alt text,
        method text NOT NULL,
        status text NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        captured_amount bigint NOT NULL DEFAULT 0 CHECK (captured_amount >= 0),
        refunded_amount bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
        description text,
        account_id text,
        email text,
        phone text,
        payer_name text,
        language text,
        back_link text,
        failure_back_link text,
        metadata jsonb,
        save_card boolean NOT NULL DEFAULT false,
        epay_transaction_id text,
        reference text,
        int_reference text,
        approval_code text,
        card_mask text,
        card_last4 text,
        card_type text,
        issuer text,
        saved_card_id uuid,
        three_ds jsonb,
        failure_code text,
        failure_message text,
        callback_token text NOT NULL,
        secret_hash_digest text,
        api_key_id uuid,
        needs_attention boolean NOT NULL DEFAULT false,
        attention_reason text,
        next_check_at timestamptz,
        check_attempts int NOT NULL DEFAULT 0,
        last_checked_at timestamptz,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finalized_at timestamptz,
        CONSTRAINT payments_refund_le_capture CHECK (refunded_amount <= captured_amount),
        CONSTRAINT payments_capture_le_amount CHECK (captured_amount <= amount)
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_payments_invoice_id" ON payments (invoice_id)`);
    // the poller's work queue: only rows still in flight are indexed
    await q.query(`CREATE INDEX "IDX_payments_due" ON payments (next_check_at) WHERE next_check_at IS NOT NULL`);
    await q.query(`CREATE INDEX "IDX_payments_created" ON payments (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX "IDX_payments_status_created" ON payments (status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX "IDX_payments_account_created" ON payments (account_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX "IDX_payments_reference" ON payments (reference) WHERE reference IS NOT NULL`);
    await q.query(
      `CREATE INDEX "IDX_payments_epay_txn" ON payments (epay_transaction_id) WHERE epay_transaction_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "IDX_payments_last4_created" ON payments (card_last4, created_at DESC, id DESC) WHERE card_last4 IS NOT NULL`,
    );
    await q.query(`CREATE INDEX "IDX_payments_attention" ON payments (created_at DESC, id DESC) WHERE needs_attention`);

    await q.query(`
      CREATE TABLE payment_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        payment_id uuid NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
        from_status text,
        to_status text NOT NULL,
        source text NOT NULL,
        reason text,
        exchange_id uuid,
        actor text,
        data jsonb,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX "IDX_payment_events_payment" ON payment_events (payment_id, created_at)`);

    await q.query(`
      CREATE TABLE saved_cards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id text NOT NULL,
        epay_card_id text NOT NULL,
        card_mask text,
        card_type text,
        issuer text,
        payment_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        deactivated_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_saved_cards_epay_card" ON saved_cards (epay_card_id)`);
    await q.query(`CREATE INDEX "IDX_saved_cards_account" ON saved_cards (account_id, created_at)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        api_key_id uuid NOT NULL,
        key text NOT NULL,
        scope text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL,
        locked_until timestamptz,
        response_status int,
        response_body jsonb,
        resource_type text,
        resource_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_idempotency_keys_key" ON idempotency_keys (api_key_id, key)`);
    await q.query(`CREATE INDEX "IDX_idempotency_keys_expires" ON idempotency_keys (expires_at)`);

    // The bank wants the last six digits of invoice ids unique too (S0–S3). A row per suffix,
    // re-usable after a retention window, makes that atomic without limiting us to 10^6 payments.
    await q.query(`
      CREATE TABLE invoice_suffixes (
        suffix char(6) PRIMARY KEY,
        invoice_id text NOT NULL,
        reserved_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE SEQUENCE invoice_id_seq START 100000001`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SEQUENCE invoice_id_seq`);
    await q.query(`DROP TABLE invoice_suffixes`);
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE saved_cards`);
    await q.query(`DROP TABLE payment_events`);
    await q.query(`DROP TABLE payments`);
  }
}
