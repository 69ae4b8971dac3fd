import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { redact } from '../../common/logging/redact.util';
import { AppConfigService } from '../../config/app-config.service';
import { GatewayExchangeRecorder } from '../../gateway/gateway-exchange.recorder';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentEventEntity } from '../payments/payment-event.entity';
import { SavedCardEntity } from '../payments/saved-card.entity';
import { AdminPaymentResponseDto } from './dtos/admin-payment-response.dto';
import { PaymentOperationResponseDto } from './dtos/payment-operation-response.dto';
import { RefundResponseDto } from './dtos/refund-response.dto';
import { PaymentOperationsService } from './payment-operations.service';
import { RefundsService } from './refunds.service';
import { publicRow } from './utils/foreign-row.util';
import { refundableAmount } from './utils/refund-ledger.util';

export interface TimelineEntry {
  at: string;
  // event | exchange | postlink | refund | operation
  kind: string;
  summary: string;
  // id of the row in its own section
  ref: string;
}

// row_to_json writes "2025-01-01T10:00:00.123+00:00": the same instant as every other entry's ISO form
function isoOf(value: unknown): string {
  const ms = typeof value === 'string' || value instanceof Date ? new Date(value).getTime() : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

interface ActorDto {
  apiKeyId: string;
  name: string | null;
}

// Everything known about one payment, for an investigation: the payment, its event timeline (which is
// also the admin audit trail), every ePay exchange (stored redacted), the postLink callbacks and how
// they were judged, refunds and charge/cancel operations with who and why, the saved card.
@Injectable()
export class PaymentInvestigationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly exchanges: GatewayExchangeRecorder,
    private readonly refunds: RefundsService,
    private readonly operations: PaymentOperationsService,
    private readonly config: AppConfigService,
  ) {}

  async investigate(paymentId: string) {
    const payment = await this.dataSource.getRepository(PaymentEntity).findOne({ where: { id: paymentId } });
    if (!payment) throw new AppException(ErrorCode.PAYMENT_NOT_FOUND, 'Payment not found');
    const [events, exchanges, refunds, operations, callbacks, savedCards] = await Promise.all([
      this.dataSource.getRepository(PaymentEventEntity).find({ where: { paymentId }, order: { createdAt: 'ASC' } }),
      this.exchanges.forPayment(paymentId),
      this.refunds.forPayment(paymentId),
      this.operations.forPayment(paymentId),
      this.callbacks(paymentId),
      this.savedCards(payment),
    ]);
    const actors = await this.actors([
      ...events.map((e) => e.actor),
      ...refunds.map((r) => r.actorApiKeyId),
      ...operations.map((o) => o.actorApiKeyId),
    ]);
    const actor = (id: string | null): ActorDto | null => (id ? { apiKeyId: id, name: actors.get(id) ?? null } : null);
    const totals = await this.refunds.totals(this.dataSource, paymentId);

    const eventViews = events.map((e) => ({
      id: e.id,
      at: e.createdAt.toISOString(),
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      source: e.source,
      reason: e.reason,
      actor: actor(e.actor),
      exchangeId: e.exchangeId,
      data: e.data,
    }));
    const exchangeViews = exchanges.map((x) => ({
      id: x.id,
      at: x.createdAt.toISOString(),
      operation: x.operation,
      method: x.method,
      path: x.path,
      httpStatus: x.httpStatus,
      outcome: x.outcome,
      latencyMs: x.latencyMs,
      attempt: x.attempt,
      // stored through redact() already; once more in case a row predates a redaction rule
      request: redact(x.requestBody),
      response: redact(x.responseBody),
      error: x.errorMessage,
    }));
    const refundViews = refunds.map((r) => ({ ...RefundResponseDto.from(r), actor: actor(r.actorApiKeyId) }));
    const operationViews = operations.map((o) => ({
      ...PaymentOperationResponseDto.from(o),
      actor: actor(o.actorApiKeyId),
    }));

    const timeline: TimelineEntry[] = [
      ...eventViews.map((e) => ({
        at: e.at,
        kind: 'event',
        summary: `${e.fromStatus ?? '∅'} → ${e.toStatus} (${e.source})${e.reason ? `: ${e.reason}` : ''}`,
        ref: e.id,
      })),
      ...exchangeViews.map((x) => ({
        at: x.at,
        kind: 'exchange',
        summary: `${x.method} ${x.path} → ${x.httpStatus ?? '-'} ${x.outcome} in ${x.latencyMs} ms`,
        ref: x.id,
      })),
      ...callbacks.map((c) => ({
        at: isoOf(c.receivedAt ?? c.createdAt),
        kind: 'postlink',
        summary: `postLink ${str(c.kind)} ${str(c.code)}: ${str(c.verdict)}${c.outcome ? ` → ${str(c.outcome)}` : ''}`,
        ref: str(c.id),
      })),
      ...refundViews.flatMap((r) => [
        {
          at: r.createdAt,
          kind: 'refund',
          summary: `refund of ${r.amount} ${r.currency} requested by ${r.actor?.name ?? r.actorApiKeyId}: ${r.reason}`,
          ref: r.id,
        },
        ...(r.finalizedAt
          ? [
              {
                at: r.finalizedAt,
                kind: 'refund',
                summary: `refund ${r.status}${r.failure ? `: ${r.failure.code}` : ''}`,
                ref: r.id,
              },
            ]
          : []),
      ]),
      ...operationViews.flatMap((o) => [
        {
          at: o.createdAt,
          kind: 'operation',
          summary: `${o.kind}${o.amount !== null ? ` of ${o.amount}` : ''} requested by ${o.actor?.name ?? o.actorApiKeyId}`,
          ref: o.id,
        },
        ...(o.finalizedAt
          ? [
              {
                at: o.finalizedAt,
                kind: 'operation',
                summary: `${o.kind} ${o.status}${o.failure ? `: ${o.failure.message}` : ''}`,
                ref: o.id,
              },
            ]
          : []),
      ]),
    ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

    return {
      payment: {
        ...AdminPaymentResponseDto.fromEntity(payment, this.config.publicBaseUrl),
        refundable: refundableAmount(payment.capturedAmount, payment.refundedAmount, totals),
      },
      timeline,
      events: eventViews,
      exchanges: exchangeViews,
      postLinkCallbacks: callbacks,
      refunds: refundViews,
      operations: operationViews,
      savedCards,
    };
  }

  // postlink_callbacks belongs to the webhooks module: read it without its entity, and only if this
  // deployment has it (the table and a payment_id column).
  private async callbacks(paymentId: string): Promise<Record<string, unknown>[]> {
    const columns: { column_name: string }[] = await this.dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'postlink_callbacks'`,
    );
    const names = new Set(columns.map((c) => c.column_name));
    if (!names.has('payment_id')) return [];
    const order = names.has('received_at')
      ? 'c.received_at'
      : names.has('created_at')
        ? 'c.created_at'
        : 'c.payment_id';
    const rows: { row: Record<string, unknown> }[] = await this.dataSource.query(
      `SELECT row_to_json(c) AS row FROM postlink_callbacks c WHERE c.payment_id = $1 ORDER BY ${order} LIMIT 500`,
      [paymentId],
    );
    return rows.map((r) => publicRow(r.row));
  }

  // the card this payment used (saved-card payments) and any card it saved
  private async savedCards(payment: PaymentEntity) {
    const repo = this.dataSource.getRepository(SavedCardEntity);
    const cards = await repo
      .createQueryBuilder('c')
      .where('c.payment_id = :pid', { pid: payment.id })
      .orWhere(payment.savedCardId ? 'c.id = :cid' : 'false', { cid: payment.savedCardId })
      .getMany();
    return cards.map((c) => ({
      id: c.id,
      accountId: c.accountId,
      mask: c.cardMask,
      type: c.cardType,
      issuer: c.issuer,
      usedByThisPayment: c.id === payment.savedCardId,
      savedByThisPayment: c.paymentId === payment.id,
      createdAt: c.createdAt.toISOString(),
      deactivatedAt: c.deactivatedAt?.toISOString() ?? null,
    }));
  }

  private async actors(ids: (string | null)[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id && /^[0-9a-f-]{36}$/i.test(id)))];
    if (!unique.length) return new Map();
    const rows: { id: string; name: string }[] = await this.dataSource.query(
      `SELECT id, name FROM api_keys WHERE id = ANY($1::uuid[])`,
      [unique],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
