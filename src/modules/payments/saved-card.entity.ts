import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

// A card ePay saved for a customer (cardID). Only the mask is kept, never the number.
@Entity('saved_cards')
export class SavedCardEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'account_id', type: 'text' })
  accountId: string;

  @Column({ name: 'epay_card_id', type: 'text' })
  epayCardId: string;

  @Column({ name: 'card_mask', type: 'text', nullable: true })
  cardMask: string | null;

  @Column({ name: 'card_type', type: 'text', nullable: true })
  cardType: string | null;

  @Column({ type: 'text', nullable: true })
  issuer: string | null;

  // the key (and its kind) whose payment saved it
  @Column({ name: 'created_by_kind', type: 'text', nullable: true })
  createdByKind: string | null;

  @Column({ name: 'created_by_key_id', type: 'uuid', nullable: true })
  createdByKeyId: string | null;

  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt: Date | null;
}
