import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintAsNumber } from '../payments/payment.entity';
import { PaymentOperationKind } from './payment-operation-kind.enum';
import { RefundStatus } from './refund-status.enum';

// An admin charge or cancel of an authorisation: who asked, why, and what the bank made of it.
// At most one is open (pending/unknown) per payment (partial unique index).
@Entity('payment_operations')
export class PaymentOperationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'payment_id', type: 'uuid' })
  paymentId: string;

  @Column({ type: 'text' })
  kind: PaymentOperationKind;

  // minor units; the charged amount for a charge, null for a cancel (always the whole hold)
  @Column({ type: 'bigint', transformer: bigintAsNumber, nullable: true })
  amount: number | null;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'text' })
  status: RefundStatus;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'actor_api_key_id', type: 'uuid', nullable: true })
  actorApiKeyId: string | null;

  @Column({ name: 'failure_code', type: 'text', nullable: true })
  failureCode: string | null;

  @Column({ name: 'failure_message', type: 'text', nullable: true })
  failureMessage: string | null;

  @Column({ name: 'needs_attention', type: 'boolean', default: false })
  needsAttention: boolean;

  @Column({ name: 'attention_reason', type: 'text', nullable: true })
  attentionReason: string | null;

  @Column({ name: 'next_check_at', type: 'timestamptz', nullable: true })
  nextCheckAt: Date | null;

  @Column({ name: 'check_attempts', type: 'int', default: 0 })
  checkAttempts: number;

  @Column({ name: 'last_checked_at', type: 'timestamptz', nullable: true })
  lastCheckedAt: Date | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'finalized_at', type: 'timestamptz', nullable: true })
  finalizedAt: Date | null;
}
