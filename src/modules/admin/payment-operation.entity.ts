import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ReconcilableColumns } from '../../database/reconcilable.columns';
import { bigintAsNumber } from '../payments/payment.entity';
import { PaymentOperationKind } from './payment-operation-kind.enum';
import { RefundStatus } from './refund-status.enum';

// An admin charge or cancel of an authorisation: who asked, why, and what the bank made of it.
// At most one is open (pending/unknown) per payment (partial unique index).
@Entity('payment_operations')
export class PaymentOperationEntity extends ReconcilableColumns {
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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'finalized_at', type: 'timestamptz', nullable: true })
  finalizedAt: Date | null;
}
