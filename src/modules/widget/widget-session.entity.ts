import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

// The widget side of a widget payment: until when its token works, and when to look whether the
// customer paid after it stopped working. No token is kept.
@Entity('widget_sessions')
export class WidgetSessionEntity {
  @PrimaryColumn({ name: 'payment_id', type: 'uuid' })
  paymentId: string;

  // the latest token's expiry (a re-issued token moves it later, never earlier)
  @Column({ name: 'token_expires_at', type: 'timestamptz' })
  tokenExpiresAt: Date;

  // when the expiry queue should look (token expiry + grace); null once the payment is settled
  @Column({ name: 'expiry_check_at', type: 'timestamptz', nullable: true })
  expiryCheckAt: Date | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
