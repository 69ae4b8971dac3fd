import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../payments/payment.entity';

// Last sequence number of each ordering stream; written only by the outbox's upsert.
@Entity('outbound_event_streams')
export class OutboundEventStreamEntity {
  @PrimaryColumn({ name: 'stream_key', type: 'text' })
  streamKey: string;

  @Column({ name: 'last_seq', type: 'bigint', transformer: bigintAsNumber })
  lastSeq: number;
}
