import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from '../payments/payment.entity';

export enum DeliveryStatus {
  // waiting for its first attempt (or a replay)
  PENDING = 'pending',
  // the last attempt failed; retried at next_attempt_at
  FAILED = 'failed',
  DELIVERED = 'delivered',
  // retries used up: waits for a manual replay
  DEAD = 'dead',
  // the endpoint was deleted before it got the event
  CANCELLED = 'cancelled',
}

export const OPEN_DELIVERY_STATUSES: readonly DeliveryStatus[] = [DeliveryStatus.PENDING, DeliveryStatus.FAILED];

// One event to one endpoint: its state, retry schedule and the lease of the replica sending it.
@Entity('outbound_deliveries')
export class OutboundDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  // copied from the event for the ordering check
  @Column({ name: 'stream_key', type: 'text' })
  streamKey: string;

  @Column({ name: 'stream_seq', type: 'bigint', transformer: bigintAsNumber })
  streamSeq: number;

  @Column({ name: 'event_created_at', type: 'timestamptz' })
  eventCreatedAt: Date;

  @Column({ type: 'text' })
  status: DeliveryStatus;

  // attempts since the delivery was created or last replayed: drives the retry schedule
  @Column({ name: 'attempt_count', type: 'int', default: 0 })
  attemptCount: number;

  // all attempts ever, numbering the attempt rows
  @Column({ name: 'total_attempts', type: 'int', default: 0 })
  totalAttempts: number;

  @Column({ name: 'replay_count', type: 'int', default: 0 })
  replayCount: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  // a replica's claim; crash-safe: once it passes, another replica may take the delivery
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  // set with the lease: only the claimant may settle the delivery
  @Column({ name: 'claim_token', type: 'uuid', nullable: true })
  claimToken: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'dead_at', type: 'timestamptz', nullable: true })
  deadAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
