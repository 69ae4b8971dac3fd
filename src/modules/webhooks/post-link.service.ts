import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { sanitizeText } from '../../common/validation/text-safety.util';
import { redact } from '../../common/logging/redact.util';
import { AppConfigService } from '../../config/app-config.service';
import { MetricsService } from '../../metrics/metrics.service';
import { PaymentEntity } from '../payments/payment.entity';
import { IN_FLIGHT_PAYMENT_STATUSES, PaymentStatus } from '../payments/payment-status.enum';
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
  id: string;
  verdict: PostLinkVerdict;
  paymentId: string | null;
  confirming: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A success callback for a payment we hold as failed or cancelled is checked anyway: if the bank
// really took the money, the (refused) status check flags the payment for a human.
const SUSPICIOUS_IF_SUCCESS: ReadonlySet<PaymentStatus> = new Set([PaymentStatus.FAILED, PaymentStatus.CANCELLED]);

// postLink / failurePostLink (API.md §8): store every callback redacted with its verdict, then let a
// status check (asynchronously) decide what, if anything, changes.
@Injectable()
export class PostLinkService {
  private readonly logger = new Logger(PostLinkService.name);
  private readonly received;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly confirmer: PostLinkConfirmerService,
    private readonly config: AppConfigService,
    metrics: MetricsService,
  ) {
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
      // redacted: secret_hash, tokens and card numbers are never stored
      body: parsed.ok ? redact(parsed.value) : { unreadable: parsed.problem, bytes: parsed.bytes },
      epayTransactionId: facts.epayTransactionId?.slice(0, 100) ?? null,
      invoiceId: facts.invoiceId?.slice(0, 100) ?? null,
      code: facts.code?.slice(0, 50) ?? null,
      reasonCode: facts.reasonCode?.slice(0, 50) ?? null,
      remoteAddr: input.remoteAddr ?? null,
    };

    const stored = await this.dataSource.transaction(async (m) => {
      if (judged.verdict !== 'accepted' || !payment) {
        const id = await this.insert(m, {
          ...row,
          verdict: judged.verdict,
          reason: reason ?? null,
          processedAt: new Date(),
          outcome: 'not acted on',
        });
        return { id, verdict: judged.verdict as PostLinkVerdict, confirming: false };
      }
      const confirming =
        POLLABLE_PAYMENT_STATUSES.includes(payment.status) ||
        (SUSPICIOUS_IF_SUCCESS.has(payment.status) && facts.code === 'ok');
      const dedupeKey = postLinkDedupeKey(payment.id, facts);
      const first = await this.insertAccepted(m, {
        ...row,
        verdict: 'accepted',
        dedupeKey,
        ...(confirming
          ? {}
          : { processedAt: new Date(), outcome: `payment already ${payment.status}; nothing to confirm` }),
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

    this.received.inc({ kind: input.kind, verdict: stored.verdict });
    const log = { callbackId: stored.id, paymentId: payment?.id, kind: input.kind, verdict: stored.verdict, reason };
    if (stored.verdict === 'accepted' || stored.verdict === 'duplicate')
      this.logger.log(log, 'postLink callback stored');
    else this.logger.warn(log, 'postLink callback rejected');

    if (stored.confirming && payment) this.confirmer.enqueue({ callbackId: stored.id, paymentId: payment.id });
    return { ...stored, paymentId: payment?.id ?? null };
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
