import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// Every status change of a transfer (and notable non-changes such as a flag for a human); the
// twin of payment_events.
@Entity('transfer_events')
@Index('IDX_transfer_events_transfer', ['transferId', 'createdAt'])
export class TransferEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'transfer_id', type: 'uuid' })
  transferId: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus: string;

  // api | poller | status_check | admin
  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'exchange_id', type: 'uuid', nullable: true })
  exchangeId: string | null;

  @Column({ name: 'actor', type: 'text', nullable: true })
  actor: string | null;

  @Column({ type: 'jsonb', nullable: true })
  data: object | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
