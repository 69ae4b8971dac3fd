import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../payments/payment.entity';

// The outbox: one row per event, written in the transaction of the change that caused it.
@Entity('outbound_events')
export class OutboundEventEntity {
  // the event id receivers dedupe on; stays the same across retries and replays
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  type: string;

  // payment | refund | transfer
  @Column({ name: 'aggregate_type', type: 'text' })
  aggregateType: string;

  @Column({ name: 'aggregate_id', type: 'text' })
  aggregateId: string;

  // events of one stream (one payment with its refunds, or one transfer) reach each endpoint in order
  @Column({ name: 'stream_key', type: 'text' })
  streamKey: string;

  @Column({ name: 'stream_seq', type: 'bigint', transformer: bigintAsNumber })
  streamSeq: number;

  // json, not jsonb: keeps the key order of the public representation in the delivered body
  @Column({ type: 'json' })
  data: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
