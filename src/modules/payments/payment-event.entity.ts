import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// Every status change of a payment (and notable non-changes such as a refused late callback).
@Entity('payment_events')
@Index('IDX_payment_events_payment', ['paymentId', 'createdAt'])
export class PaymentEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'payment_id', type: 'uuid' })
  paymentId: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus: string;

  // api | 3ds | postLink | poller | status_check | admin
  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  // the gateway exchange that caused it, when there is one
  @Column({ name: 'exchange_id', type: 'uuid', nullable: true })
  exchangeId: string | null;

  // API key of the actor (admin actions)
  @Column({ name: 'actor', type: 'text', nullable: true })
  actor: string | null;

  @Column({ type: 'jsonb', nullable: true })
  data: object | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
