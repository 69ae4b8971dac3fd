import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// One HTTP exchange with ePay, kept for investigations. Bodies are redacted before they are stored.
@Entity('gateway_exchanges')
@Index('IDX_gateway_exchanges_payment', ['paymentId', 'createdAt'])
@Index('IDX_gateway_exchanges_transfer', ['transferId', 'createdAt'])
export class GatewayExchangeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId: string | null;

  @Column({ name: 'transfer_id', type: 'uuid', nullable: true })
  transferId: string | null;

  // e.g. token, public-key, cryptopay, card-id-payment, confirm-3ds, status, charge, cancel, refund
  @Column({ type: 'text' })
  operation: string;

  @Column({ type: 'text' })
  method: string;

  // path only: hosts are configuration, query strings may carry amounts but never secrets
  @Column({ type: 'text' })
  path: string;

  @Column({ name: 'http_status', type: 'int', nullable: true })
  httpStatus: number | null;

  // ok | rejected | timeout | unavailable | malformed | auth
  @Column({ type: 'text' })
  outcome: string;

  @Column({ name: 'latency_ms', type: 'int' })
  latencyMs: number;

  @Column({ type: 'int', default: 1 })
  attempt: number;

  @Column({ name: 'request_body', type: 'jsonb', nullable: true })
  requestBody: object | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody: object | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
