import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ReconcilableColumns } from '../../database/reconcilable.columns';
import { bigintAsNumber } from '../payments/payment.entity';
import type { PaymentStatus } from '../payments/payment-status.enum';

// Transfers move through the payment state machine (created → charged | failed | unknown | pending …):
// the bank reports them with the same statusNames (API.md §7, §11).
export type TransferStatus = PaymentStatus;

// How the bank is told about a card (S3, SDK): the number itself, or a saved cardID.
export type EpayTransferType = 'TYPEPAN' | 'TYPECARDID';

// A P2P card-to-card transfer. Card numbers never get here: masks only (first six, last four).
@Entity('transfers')
export class TransferEntity extends ReconcilableColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  // the ePay order id: an invoice id (6–15 digits, last six unique) shared with payments' numbering
  @Column({ name: 'order_id', type: 'text' })
  orderId: string;

  @Column({ type: 'text' })
  status: TransferStatus;

  // minor units
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amount: number;

  // minor units, as the bank reported it; null until it did (S3: "not used")
  @Column({ type: 'bigint', transformer: bigintAsNumber, nullable: true })
  fee: number | null;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'account_id', type: 'text' })
  accountId: string;

  @Column({ name: 'sender_email', type: 'text', nullable: true })
  senderEmail: string | null;

  @Column({ name: 'back_link', type: 'text', nullable: true })
  backLink: string | null;

  @Column({ name: 'failure_back_link', type: 'text', nullable: true })
  failureBackLink: string | null;

  @Column({ type: 'jsonb', nullable: true })
  metadata: object | null;

  @Column({ name: 'save_sender_card', type: 'boolean', default: false })
  saveSenderCard: boolean;

  @Column({ name: 'epay_transaction_id', type: 'text', nullable: true })
  epayTransactionId: string | null;

  @Column({ type: 'text', nullable: true })
  reference: string | null;

  @Column({ name: 'int_reference', type: 'text', nullable: true })
  intReference: string | null;

  @Column({ name: 'approval_code', type: 'text', nullable: true })
  approvalCode: string | null;

  @Column({ name: 'sender_transfer_type', type: 'text' })
  senderTransferType: EpayTransferType;

  @Column({ name: 'sender_card_mask', type: 'text', nullable: true })
  senderCardMask: string | null;

  @Column({ name: 'sender_card_type', type: 'text', nullable: true })
  senderCardType: string | null;

  // the saved card the money came from, or the one this transfer saved (sender.save)
  @Column({ name: 'sender_saved_card_id', type: 'uuid', nullable: true })
  senderSavedCardId: string | null;

  @Column({ name: 'receiver_transfer_type', type: 'text' })
  receiverTransferType: EpayTransferType;

  @Column({ name: 'receiver_card_mask', type: 'text', nullable: true })
  receiverCardMask: string | null;

  @Column({ name: 'receiver_card_type', type: 'text', nullable: true })
  receiverCardType: string | null;

  @Column({ name: 'receiver_saved_card_id', type: 'uuid', nullable: true })
  receiverSavedCardId: string | null;

  @Column({ name: 'failure_code', type: 'text', nullable: true })
  failureCode: string | null;

  @Column({ name: 'failure_message', type: 'text', nullable: true })
  failureMessage: string | null;

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
