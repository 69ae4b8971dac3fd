import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateGatewayExchanges1763900001000 implements MigrationInterface {
  name = 'CreateGatewayExchanges1763900001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE gateway_exchanges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        payment_id uuid,
        transfer_id uuid,
        operation text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        http_status int,
        outcome text NOT NULL,
        latency_ms int NOT NULL,
        attempt int NOT NULL DEFAULT 1,
        request_body jsonb,
        response_body jsonb,
        error_message text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX "IDX_gateway_exchanges_payment" ON gateway_exchanges (payment_id, created_at) WHERE payment_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "IDX_gateway_exchanges_transfer" ON gateway_exchanges (transfer_id, created_at) WHERE transfer_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE gateway_exchanges`);
  }
}
