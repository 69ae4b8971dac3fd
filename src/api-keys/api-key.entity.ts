import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AdminRole, ApiKeyKind } from './api-key-kind.enum';

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  // secret, publishable or admin (customer sessions live in customer_sessions)
  @Column({ type: 'text' })
  kind: ApiKeyKind;

  @Column({ name: 'admin_role', type: 'text', nullable: true })
  adminRole: AdminRole | null;

  // live keys are minted while EPAY_ENV=prod and only work there; test keys only elsewhere
  @Column({ type: 'boolean' })
  livemode: boolean;

  // SHA-256 of the whole key: keys are 32 random bytes, so a fast hash is enough and lookups stay O(1)
  @Index('IDX_api_keys_key_hash', { unique: true })
  @Column({ name: 'key_hash', type: 'text' })
  keyHash: string;

  // first characters, to recognise a key in lists without storing it
  @Column({ type: 'text' })
  prefix: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  // the admin key that created / revoked this one (null: CLI, first start, before auditing)
  @Column({ name: 'created_by_key_id', type: 'uuid', nullable: true })
  createdByKeyId: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_by_key_id', type: 'uuid', nullable: true })
  revokedByKeyId: string | null;
}
