import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// A short-lived browser key bound to one customer account, minted by a secret key.
@Entity('customer_sessions')
export class CustomerSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('IDX_customer_sessions_key_hash', { unique: true })
  @Column({ name: 'key_hash', type: 'text' })
  keyHash: string;

  @Column({ name: 'account_id', type: 'text' })
  accountId: string;

  // the secret key that minted it: revoking that key ends its sessions too
  @Column({ name: 'created_by_key_id', type: 'uuid' })
  createdByKeyId: string;

  @Column({ type: 'boolean' })
  livemode: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
