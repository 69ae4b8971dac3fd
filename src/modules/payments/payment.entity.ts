import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ReconcilableColumns } from '../../database/reconcilable.columns';
import { PaymentMethod, PaymentStatus } from './payment-status.enum';

// bigint columns come back from pg as strings; amounts fit in a JS safe integer, so read them as numbers
export const bigintAsNumber = {
  to: (v?: number | null) => v,
  from: (v?: string | null) => (v === null || v === undefined ? v : Number(v)),
};

export interface ThreeDsData {
  md: string;
  paReq: string;
  action: string;
  // set once the TermUrl callback was accepted: a callback is usable once
  callbackAt?: string;
}

@Entity('payments')
export class PaymentEntity extends ReconcilableColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'invoice_id', type: 'text' })
  invoiceId: string;

  @Column({ name: 'invoice_id_alt', type: 'text', nullable: true })
  invoiceIdAlt: string | null;

  @Column({ type: 'text' })
  method: PaymentMethod;

  @Column({ type: 'text' })
  status: PaymentStatus;

  // minor units (tiyn for KZT)
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amount: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'captured_amount', type: 'bigint', transformer: bigintAsNumber, default: 0 })
  capturedAmount: number;

  @Column({ name: 'refunded_amount', type: 'bigint', transformer: bigintAsNumber, default: 0 })
  refundedAmount: number;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'account_id', type: 'text', nullable: true })
  accountId: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ name: 'payer_name', type: 'text', nullable: true })
  payerName: string | null;

  @Column({ type: 'text', nullable: true })
  language: string | null;

  @Column({ name: 'back_link', type: 'text', nullable: true })
  backLink: string | null;

  @Column({ name: 'failure_back_link', type: 'text', nullable: true })
  failureBackLink: string | null;

  @Column({ type: 'jsonb', nullable: true })
  metadata: object | null;

  @Column({ name: 'save_card', type: 'boolean', default: false })
  saveCard: boolean;

  @Column({ name: 'epay_transaction_id', type: 'text', nullable: true })
  epayTransactionId: string | null;

  @Column({ type: 'text', nullable: true })
  reference: string | null;

  @Column({ name: 'int_reference', type: 'text', nullable: true })
  intReference: string | null;

  @Column({ name: 'approval_code', type: 'text', nullable: true })
  approvalCode: string | null;

  @Column({ name: 'card_mask', type: 'text', nullable: true })
  cardMask: string | null;

  @Column({ name: 'card_last4', type: 'text', nullable: true })
  cardLast4: string | null;

  @Column({ name: 'card_type', type: 'text', nullable: true })
  cardType: string | null;

  @Column({ type: 'text', nullable: true })
  issuer: string | null;

  @Column({ name: 'saved_card_id', type: 'uuid', nullable: true })
  savedCardId: string | null;

  @Column({ name: 'three_ds', type: 'jsonb', nullable: true })
  threeDs: ThreeDsData | null;

  @Column({ name: 'failure_code', type: 'text', nullable: true })
  failureCode: string | null;

  @Column({ name: 'failure_message', type: 'text', nullable: true })
  failureMessage: string | null;

  // unguessable token in our postLink URL for this payment
  @Column({ name: 'callback_token', type: 'text' })
  callbackToken: string;

  // SHA-256 of the secret_hash given to ePay (the bank echoes the secret to postLink)
  @Column({ name: 'secret_hash_digest', type: 'text', nullable: true })
  secretHashDigest: string | null;

  @Column({ name: 'api_key_id', type: 'uuid', nullable: true })
  apiKeyId: string | null;

  // the kind of key that created it (secret, publishable, customer_session)
  @Column({ name: 'created_by_kind', type: 'text', nullable: true })
  createdByKind: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'finalized_at', type: 'timestamptz', nullable: true })
  finalizedAt: Date | null;
}
