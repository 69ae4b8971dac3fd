import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

// A company system that receives signed events. Deleting one keeps the row (deleted_at) so the
// delivery history stays readable.
@Entity('outbound_webhook_endpoints')
export class OutboundWebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  // event types this endpoint receives; "*" = all
  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes: string[];

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  // our HMAC key for this endpoint, sealed (SecretBox: AES-256-GCM under ENCRYPTION_KEY) because we need
  // it again to sign; never returned after creation/rotation and never logged
  @Column({ type: 'text' })
  secret: string;

  // the secret before the last rotation (sealed too), still signing (second signature) until it expires
  @Column({ name: 'previous_secret', type: 'text', nullable: true })
  previousSecret: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
