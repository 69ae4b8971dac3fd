import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { sanitizeText } from '../../common/validation/text-safety.util';
import { redact } from '../../common/logging/redact.util';
import { AppConfigService } from '../../config/app-config.service';
import { MetricsService } from '../../metrics/metrics.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentStatusChecker } from '../payments/payment-status-checker.service';
import { IN_FLIGHT_PAYMENT_STATUSES, PaymentEventSource, PaymentStatus } from '../payments/payment-status.enum';
import { POLLABLE_PAYMENT_STATUSES } from '../status/utils/reconciliation-schedule.util';
import { PostLinkCallbackEntity, PostLinkKind, PostLinkVerdict } from './post-link-callback.entity';
import { PostLinkConfirmerService } from './post-link-confirmer.service';
import { parsePostLinkBody } from './utils/parse-post-link-body.util';
import { judgePostLink, postLinkDedupeKey, readPostLinkFacts } from './utils/verify-post-link.util';

export interface IncomingPostLink {
  kind: PostLinkKind;
  query: Record<string, unknown>;
  body: unknown;
  contentType?: string;
  remoteAddr?: string;
}

export interface StoredPostLink {
  // null: counted only (past the sample or per-payment limit)
  id: string | null;
  verdict: PostLinkVerdict;
  paymentId: string | null;
  confirming: boolean;
}

// not the payment's own URL: no payment of ours, or the wrong token
const UNMATCHED_VERDICTS: ReadonlySet<PostLinkVerdict> = new Set(['unknown_payment', 'rejected_token']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A success callback for a payment we hold as failed or cancelled is checked anyway: if the bank
// really took the money, the (refused) status check flags the payment for a human.
const SUSPICIOUS_IF_SUCCESS: ReadonlySet<PaymentStatus> = new Set([PaymentStatus.FAILED, PaymentStatus.CANCELLED]);

// postLink / failurePostLink (API.md §8): store callbacks redacted with their verdict (bounded: a
// sample for unknown/forged URLs, a limit per payment, a size cap), and for any callback on a
// payment's own URL let a status check (asynchronously, coalesced per payment) decide what changes.
@Injectable()
export class PostLinkService {
  private readonly logger = new Logger(PostLinkService.name);
  private readonly received;
  private readonly dropped;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly confirmer: PostLinkConfirmerService,
    private readonly config: AppConfigService,
    private readonly checker: PaymentStatusChecker,
    metrics: MetricsService,
  ) {
    this.dropped = metrics.counter(
      'postlink_callbacks_not_stored_total',
      'postLink callbacks counted but not stored (sample of unknown/forged URLs full, per-payment limit)',
      ['kind', 'reason'],
    );
    this.received = metrics.counter('postlink_callbacks_total', 'ePay postLink callbacks received', [
      'kind',
      'verdict',
    ]);
  }

  async receive(input: IncomingPostLink): Promise<StoredPostLink> {
    const pid = typeof input.query.pid === 'string' && UUID.test(input.query.pid) ? input.query.pid : undefined;
    const token = typeof input.query.token === 'string' ? input.query.token : undefined;
    const payment = pid ? await this.dataSource.getRepository(PaymentEntity).findOne({ where: { id: pid } }) : null;
    // the callback is kept whatever it holds: characters PostgreSQL cannot store are replaced
    const parsed = sanitizeText(parsePostLinkBody(input.body));
    const body = parsed.ok ? parsed.value : undefined;
    const facts = readPostLinkFacts(body);
    const judged = judgePostLink(payment, token, body, facts);
    const reason = judged.reason ?? (parsed.ok ? undefined : parsed.problem);

    const row: Partial<PostLinkCallbackEntity> = {
      paymentId: payment?.id ?? null,
      kind: input.kind,
      contentType: input.contentType?.slice(0, 200) ?? null,
      // redacted: secret_hash, tokens and card numbers are never stored; capped in size
      body: this.storedBody(parsed),
      epayTransactionId: facts.epayTransactionId?.slice(0, 100) ?? null,
      invoiceId: facts.invoiceId?.slice(0, 100) ?? null,
      code: facts.code?.slice(0, 50) ?? null,
      reasonCode: facts.reasonCode?.slice(0, 50) ?? null,
      remoteAddr: input.remoteAddr ?? null,
    };

    // not the payment's own URL (no such payment, wrong token): anyone can send these, so they are
    // counted, and only a bounded sample per hour is stored
    if (!payment || UNMATCHED_VERDICTS.has(judged.verdict)) {
      const id = await this.insertSample({
        ...row,
        verdict: judged.verdict,
        reason: reason ?? null,
        processedAt: new Date(),
        outcome: 'not acted on',
      });
      return this.done(
        input,
        { id, verdict: judged.verdict, paymentId: payment?.id ?? null, confirming: false },
        reason,
      );
    }

    // the payment's own URL: whatever the body says, the bank is asked (a callback is only a hint)
    const confirming =
      POLLABLE_PAYMENT_STATUSES.includes(payment.status) ||
      (SUSPICIOUS_IF_SUCCESS.has(payment.status) && facts.code === 'ok');
    const settled = { processedAt: new Date(), outcome: `payment already ${payment.status}; nothing to confirm` };
    const stored = await this.dataSource.transaction(async (m) => {
      if (!(await this.underPaymentLimit(m, payment.id))) return undefined;
      if (judged.verdict !== 'accepted') {
        const id = await this.insert(m, {
          ...row,
          verdict: judged.verdict,
          reason: reason ?? null,
          ...(confirming ? {} : settled),
        });
        if (confirming) await this.recheckSoon(m, payment.id);
        return { id, verdict: judged.verdict as PostLinkVerdict, confirming };
      }
      const dedupeKey = postLinkDedupeKey(payment.id, facts);
      const first = await this.insertAccepted(m, {
        ...row,
        verdict: 'accepted',
        reason:
          facts.secretHash === undefined && payment.secretHashDigest ? 'no secret_hash (as seed 001 prints)' : null,
        dedupeKey,
        ...(confirming ? {} : settled),
      });
      if (!first) {
        const id = await this.insert(m, {
          ...row,
          verdict: 'duplicate',
          reason: `same as an earlier callback (${dedupeKey})`,
          processedAt: new Date(),
          outcome: 'not acted on',
        });
        return { id, verdict: 'duplicate' as const, confirming: false };
      }
      if (confirming) await this.recheckSoon(m, payment.id);
      return { id: first, verdict: 'accepted' as const, confirming };
    });

    if (!stored) {
      // past the per-payment limit: not stored, but still a hint (coalesced with every other one)
      this.received.inc({ kind: input.kind, verdict: judged.verdict });
      this.dropped.inc({ kind: input.kind, reason: 'payment_limit' });
      if (confirming) this.checker.hint(payment.id, PaymentEventSource.POST_LINK);
      return { id: null, verdict: judged.verdict, paymentId: payment.id, confirming };
    }
    if (stored.confirming)
      this.confirmer.enqueue({
        callbackId: stored.id,
        paymentId: payment.id,
        force: !POLLABLE_PAYMENT_STATUSES.includes(payment.status),
      });
    return this.done(input, { ...stored, paymentId: payment.id }, reason);
  }

  private done(input: IncomingPostLink, stored: StoredPostLink, reason: string | undefined): StoredPostLink {
    this.received.inc({ kind: input.kind, verdict: stored.verdict });
    if (!stored.id) this.dropped.inc({ kind: input.kind, reason: 'sample_full' });
    const log = {
      callbackId: stored.id,
      paymentId: stored.paymentId,
      kind: input.kind,
      verdict: stored.verdict,
      reason,
    };
    if (stored.verdict === 'accepted' || stored.verdict === 'duplicate')
      this.logger.log(log, 'postLink callback stored');
    else if (stored.id) this.logger.warn(log, 'postLink callback rejected');
    else this.logger.debug(log, 'postLink callback counted, not stored');
    return stored;
  }

  private storedBody(parsed: ReturnType<typeof parsePostLinkBody>): object {
    if (!parsed.ok) return { unreadable: parsed.problem, bytes: parsed.bytes };
    const value = redact(parsed.value);
    const bytes = Buffer.byteLength(JSON.stringify(value));
    const max = this.config.get('POSTLINK_MAX_STORED_BODY_BYTES');
    if (bytes <= max) return value as object;
    return {
      truncated: true,
      bytes,
      keys: Object.keys(parsed.value)
        .slice(0, 50)
        .map((k) => k.slice(0, 100)),
    };
  }

  // At most POSTLINK_UNMATCHED_SAMPLE_PER_HOUR callbacks for unknown or forged URLs are stored per
  // hour (across replicas, give or take concurrent requests); the rest only count in the metrics.
  private async insertSample(row: Partial<PostLinkCallbackEntity>): Promise<string | null> {
    const [{ n }] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM postlink_callbacks
        WHERE verdict IN ('unknown_payment', 'rejected_token') AND received_at > now() - interval '1 hour' LIMIT $1) s`,
      [this.config.get('POSTLINK_UNMATCHED_SAMPLE_PER_HOUR')],
    )) as { n: number }[];
    if (n >= this.config.get('POSTLINK_UNMATCHED_SAMPLE_PER_HOUR')) return null;
    return this.dataSource.transaction((m) => this.insert(m, row));
  }

  // Exact across replicas: the count and the insert run under a per-payment transaction lock.
  private async underPaymentLimit(m: EntityManager, paymentId: string): Promise<boolean> {
    const max = this.config.get('POSTLINK_MAX_PER_PAYMENT');
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))`, [`postlink:${paymentId}`]);
    const [{ n }] = (await m.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM postlink_callbacks WHERE payment_id = $1
        AND verdict NOT IN ('unknown_payment', 'rejected_token') LIMIT $2) s`,
      [paymentId, max],
    )) as { n: number }[];
    return n < max;
  }

  private async insert(m: EntityManager, row: Partial<PostLinkCallbackEntity>): Promise<string> {
    const result = await m.getRepository(PostLinkCallbackEntity).insert(row);
    return (result.identifiers[0] as { id: string }).id;
  }

  // Only the first accepted callback per dedupe key gets in (partial unique index); concurrent
  // duplicates on other replicas lose the race here and are stored as duplicates.
  private async insertAccepted(m: EntityManager, row: Partial<PostLinkCallbackEntity>): Promise<string | undefined> {
    const result = await m
      .createQueryBuilder()
      .insert()
      .into(PostLinkCallbackEntity)
      .values(row)
      .orIgnore()
      .returning(['id'])
      .execute();
    const raw = result.raw as { id: string }[];
    return raw[0]?.id;
  }

  // Crash safety between "stored" and "confirmed": the poller looks at the payment soon whatever
  // happens to the in-process confirmation (never later than it already would).
  private async recheckSoon(m: EntityManager, paymentId: string): Promise<void> {
    await m.query(
      `UPDATE payments SET next_check_at = LEAST(COALESCE(next_check_at, 'infinity'), now() + $2 * interval '1 millisecond')
        WHERE id = $1 AND status = ANY($3::text[])`,
      [paymentId, this.config.get('POSTLINK_RECHECK_AFTER_MS'), IN_FLIGHT_PAYMENT_STATUSES],
    );
  }
}
