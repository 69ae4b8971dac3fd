import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// One row per back-office action (every non-GET request made with an admin key): who, what, on
// what, and how it ended. Payment actions also carry their actor in the payment's own events.
@Entity('admin_actions')
@Index('IDX_admin_actions_target', ['targetId', 'createdAt'])
export class AdminActionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'api_key_id', type: 'uuid' })
  apiKeyId: string;

  // as it was when the action was taken
  @Column({ name: 'key_name', type: 'text' })
  keyName: string;

  @Column({ name: 'admin_role', type: 'text' })
  adminRole: string;

  @Column({ type: 'text' })
  method: string;

  // the route pattern, e.g. POST /v1/admin/payments/:id/refund
  @Column({ type: 'text' })
  route: string;

  // the :id the action was about (payment, refund, endpoint, key, event), when it has one
  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId: string | null;

  @Column({ name: 'status_code', type: 'int' })
  statusCode: number;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;
}
