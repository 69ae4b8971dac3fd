import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';
import { PaymentEntity } from '../payments/payment.entity';
import { AdminPaymentPageDto, AdminPaymentResponseDto } from './dtos/admin-payment-response.dto';
import { RefundResponseDto } from './dtos/refund-response.dto';
import { SearchPaymentsQueryDto } from './dtos/search-payments-query.dto';
import { SearchRefundsQueryDto } from './dtos/search-refunds-query.dto';
import { SearchTransfersQueryDto } from './dtos/search-transfers-query.dto';
import { RefundEntity } from './refund.entity';
import { publicRow } from './utils/foreign-row.util';
import { CursorFormatError, cursorTimestampSql, decodeCursor, encodeCursor, PageCursor } from './utils/cursor.util';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

function cursorOf(text: string | undefined): PageCursor | undefined {
  if (text === undefined) return undefined;
  try {
    return decodeCursor(text);
  } catch (err) {
    if (err instanceof CursorFormatError) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: cursor', [
        { field: 'cursor', message: err.message },
      ]);
    }
    throw err;
  }
}

function checkRange(from: string | undefined, to: string | undefined): void {
  if (from && to && Date.parse(to) <= Date.parse(from)) {
    throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: createdTo', [
      { field: 'createdTo', message: 'must be after createdFrom' },
    ]);
  }
}

// Keyset pages in (created_at DESC, id DESC) order. Every filter maps onto an index of its table
// (migrations 1763900002000 and 1763900301000); EXPLAIN output is in the issue #7 report.
@Injectable()
export class AdminSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfigService,
  ) {}

  async payments(q: SearchPaymentsQueryDto): Promise<AdminPaymentPageDto> {
    checkRange(q.createdFrom, q.createdTo);
    if (q.amountMin !== undefined && q.amountMax !== undefined && q.amountMax < q.amountMin) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: amountMax', [
        { field: 'amountMax', message: 'must not be below amountMin' },
      ]);
    }
    const qb = this.dataSource.getRepository(PaymentEntity).createQueryBuilder('p');
    if (q.status?.length === 1) qb.andWhere('p.status = :status', { status: q.status[0] });
    else if (q.status?.length) qb.andWhere('p.status IN (:...statuses)', { statuses: q.status });
    if (q.createdFrom) qb.andWhere('p.created_at >= :createdFrom', { createdFrom: new Date(q.createdFrom) });
    if (q.createdTo) qb.andWhere('p.created_at < :createdTo', { createdTo: new Date(q.createdTo) });
    if (q.invoiceId) qb.andWhere('p.invoice_id = :invoiceId', { invoiceId: q.invoiceId });
    if (q.accountId) qb.andWhere('p.account_id = :accountId', { accountId: q.accountId });
    if (q.reference) qb.andWhere('p.reference = :reference', { reference: q.reference });
    if (q.epayTransactionId)
      qb.andWhere('p.epay_transaction_id = :epayTransactionId', { epayTransactionId: q.epayTransactionId });
    if (q.cardLast4) qb.andWhere('p.card_last4 = :cardLast4', { cardLast4: q.cardLast4 });
    if (q.amountMin !== undefined) qb.andWhere('p.amount >= :amountMin', { amountMin: q.amountMin });
    if (q.amountMax !== undefined) qb.andWhere('p.amount <= :amountMax', { amountMax: q.amountMax });
    if (q.needsAttention === true) qb.andWhere('p.needs_attention');
    if (q.needsAttention === false) qb.andWhere('NOT p.needs_attention');
    const { rows, nextCursor } = await this.page(qb, 'p', q.limit, cursorOf(q.cursor));
    return { data: rows.map((p) => AdminPaymentResponseDto.fromEntity(p, this.config.publicBaseUrl)), nextCursor };
  }

  async refunds(q: SearchRefundsQueryDto): Promise<Page<RefundResponseDto>> {
    checkRange(q.createdFrom, q.createdTo);
    const qb = this.dataSource.getRepository(RefundEntity).createQueryBuilder('r');
    if (q.status?.length === 1) qb.andWhere('r.status = :status', { status: q.status[0] });
    else if (q.status?.length) qb.andWhere('r.status IN (:...statuses)', { statuses: q.status });
    if (q.paymentId) qb.andWhere('r.payment_id = :paymentId', { paymentId: q.paymentId });
    if (q.createdFrom) qb.andWhere('r.created_at >= :createdFrom', { createdFrom: new Date(q.createdFrom) });
    if (q.createdTo) qb.andWhere('r.created_at < :createdTo', { createdTo: new Date(q.createdTo) });
    if (q.needsAttention === true) qb.andWhere('r.needs_attention');
    if (q.needsAttention === false) qb.andWhere('NOT r.needs_attention');
    const { rows, nextCursor } = await this.page(qb, 'r', q.limit, cursorOf(q.cursor));
    return { data: rows.map((r) => RefundResponseDto.from(r)), nextCursor };
  }

  // The P2P module owns `transfers`; it is read here without its entity (no import across modules),
  // and only if the table exists in this deployment.
  async transfers(q: SearchTransfersQueryDto): Promise<Page<Record<string, unknown>>> {
    checkRange(q.createdFrom, q.createdTo);
    const [{ exists }] = (await this.dataSource.query(
      `SELECT to_regclass('public.transfers') IS NOT NULL AS exists`,
    )) as [{ exists: boolean }];
    if (!exists) throw new AppException(ErrorCode.FEATURE_DISABLED, 'Transfers are not available in this deployment');
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.status?.length) add('t.status = ANY(?::text[])', q.status);
    if (q.accountId) add('t.account_id = ?', q.accountId);
    if (q.orderId) add('t.order_id = ?', q.orderId);
    if (q.createdFrom) add('t.created_at >= ?', new Date(q.createdFrom));
    if (q.createdTo) add('t.created_at < ?', new Date(q.createdTo));
    if (q.needsAttention === true) where.push('t.needs_attention');
    if (q.needsAttention === false) where.push('NOT t.needs_attention');
    const cursor = cursorOf(q.cursor);
    if (cursor) {
      params.push(cursor.createdAt, cursor.id);
      where.push(`(t.created_at, t.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(q.limit + 1);
    const rows: { row: Record<string, unknown>; cursor_ts: string }[] = await this.dataSource.query(
      `SELECT row_to_json(t) AS row, ${cursorTimestampSql('t.created_at')} AS cursor_ts
         FROM transfers t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY t.created_at DESC, t.id DESC LIMIT $${params.length}`,
      params,
    );
    const more = rows.length > q.limit;
    const pageRows = rows.slice(0, q.limit);
    const last = pageRows[pageRows.length - 1];
    return {
      data: pageRows.map((r) => publicRow(r.row)),
      nextCursor: more && last ? encodeCursor({ createdAt: last.cursor_ts, id: String(last.row.id) }) : null,
    };
  }

  // Keyset pagination: the row comparison (created_at, id) < (cursor) continues an index scan of
  // (…, created_at DESC, id DESC) exactly where the last page ended; one extra row says "more".
  private async page<T extends ObjectLiteral & { id: string }>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    limit: number,
    cursor: PageCursor | undefined,
  ): Promise<{ rows: T[]; nextCursor: string | null }> {
    if (cursor) {
      qb.andWhere(`(${alias}.created_at, ${alias}.id) < (CAST(:cursorTs AS timestamptz), CAST(:cursorId AS uuid))`, {
        cursorTs: cursor.createdAt,
        cursorId: cursor.id,
      });
    }
    qb.addSelect(cursorTimestampSql(`${alias}.created_at`), 'cursor_ts')
      .orderBy(`${alias}.createdAt`, 'DESC')
      .addOrderBy(`${alias}.id`, 'DESC')
      .limit(limit + 1);
    const { entities, raw } = await qb.getRawAndEntities<{ cursor_ts: string }>();
    const more = entities.length > limit;
    const rows = entities.slice(0, limit);
    const last = rows[rows.length - 1];
    return {
      rows,
      nextCursor: more && last ? encodeCursor({ createdAt: raw[rows.length - 1].cursor_ts, id: last.id }) : null,
    };
  }
}
