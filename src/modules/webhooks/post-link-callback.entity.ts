import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type PostLinkKind = 'success' | 'failure';

// How a callback was judged when it arrived. Any callback with the payment's URL token leads to a
// status check (the first of duplicates only); the verdict says what it looked like.
export type PostLinkVerdict =
  | 'accepted'
  // an accepted callback with the same dedupe key was stored before: not processed again
  | 'duplicate'
  // the URL named no payment of ours (or garbage)
  | 'unknown_payment'
  | 'rejected_token'
  // no longer given (kept for older rows): a wrong secret_hash is now suspicious_secret and still checked
  | 'rejected_secret'
  // the right URL token with a secret_hash that does not match: recorded, and only a status check decides
  | 'suspicious_secret'
  // invoiceId, amount or currency disagree with the payment
  | 'mismatch'
  // no readable object in the body
  | 'malformed';

// Every postLink/failurePostLink request ePay (or anyone) sent us, stored redacted with its verdict.
@Entity('postlink_callbacks')
@Index('IDX_postlink_callbacks_payment', ['paymentId', 'receivedAt'])
export class PostLinkCallbackEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  // set only when the URL's pid is one of our payments
  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId: string | null;

  @Column({ type: 'text' })
  kind: PostLinkKind;

  @Column({ name: 'content_type', type: 'text', nullable: true })
  contentType: string | null;

  // the body as received, through redact(): secret_hash, tokens and card numbers never land here
  @Column({ type: 'jsonb', nullable: true })
  body: object | null;

  @Column({ name: 'epay_transaction_id', type: 'text', nullable: true })
  epayTransactionId: string | null;

  @Column({ name: 'invoice_id', type: 'text', nullable: true })
  invoiceId: string | null;

  // "ok" | "error" as ePay wrote it (S1)
  @Column({ type: 'text', nullable: true })
  code: string | null;

  @Column({ name: 'reason_code', type: 'text', nullable: true })
  reasonCode: string | null;

  @Column({ type: 'text' })
  verdict: PostLinkVerdict;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  // payment + ePay transaction id + outcome code: the same callback twice is processed once
  @Column({ name: 'dedupe_key', type: 'text', nullable: true })
  dedupeKey: string | null;

  @Column({ name: 'remote_addr', type: 'text', nullable: true })
  remoteAddr: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  // when the callback was dealt with: at once for anything not acted on, after the confirming status check otherwise
  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  // what the confirming status check found (or why nothing was done)
  @Column({ type: 'text', nullable: true })
  outcome: string | null;
}
