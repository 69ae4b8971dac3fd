import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';
import type { EpayRegistryRecord } from '../../gateway/gateway-api.types';
import { GatewayException } from '../../gateway/gateway.exception';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { EpayTokenService } from '../auth/epay-token.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentStatusChecker } from '../payments/payment-status-checker.service';
import {
  comparePayment,
  isBankFailure,
  Mismatch,
  missingHere,
  OurPaymentRecord,
  pickBankRecord,
} from './utils/reconciliation-compare.util';
import { toCsv } from './utils/csv.util';

// The bank's record of a payment is created a moment after our row: the registry is asked for a
// slightly wider window so a payment at the end of the period is not "missing at the bank".
const REGISTRY_PADDING_MS = 10 * 60_000;
const REGISTRY_PAGE_SIZE = 100;
const STATUS_CHECK_CONCURRENCY = 4;

export interface ReconciliationReport {
  from: string;
  to: string;
  // registry: ePay's /operations; status_checks: one status check per payment (registry refused)
  source: 'registry' | 'status_checks';
  registryError: string | null;
  // false when the bounds stopped the work early (see warnings)
  complete: boolean;
  counts: {
    ourPayments: number;
    bankRecords: number;
    compared: number;
    unchecked: number;
    mismatches: number;
    bankFailuresIgnored: number;
  };
  mismatches: Mismatch[];
  warnings: string[];
}

export const MISMATCH_CSV_COLUMNS = [
  'kind',
  'paymentId',
  'invoiceId',
  'epayTransactionId',
  'ourStatus',
  'bankStatus',
  'ourAmount',
  'bankAmount',
  'currency',
  'detail',
] as const;

function ourRecord(p: PaymentEntity): OurPaymentRecord {
  return {
    id: p.id,
    invoiceId: p.invoiceId,
    epayTransactionId: p.epayTransactionId,
    status: p.status,
    amount: p.amount,
    capturedAmount: p.capturedAmount,
    refundedAmount: p.refundedAmount,
    currency: p.currency,
  };
}

// Our records against ePay's for a period. Bounded: at most ADMIN_RECONCILIATION_MAX_DAYS long and
// ADMIN_RECONCILIATION_MAX_PAYMENTS of ours (else 400, narrow the period); when the registry is
// refused, at most ADMIN_RECONCILIATION_MAX_STATUS_CHECKS status checks (the rest reported unchecked).
// Read only: nothing is changed here (POST /v1/admin/payments/:id/sync applies what the bank says).
@Injectable()
export class ReconciliationReportService {
  private readonly logger = new Logger(ReconciliationReportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly homebank: HomebankHttpService,
    private readonly tokens: EpayTokenService,
    private readonly config: AppConfigService,
    private readonly checker: PaymentStatusChecker,
  ) {}

  async report(fromText: string, toText: string): Promise<ReconciliationReport> {
    const from = new Date(fromText);
    const to = new Date(toText);
    const maxDays = this.config.get('ADMIN_RECONCILIATION_MAX_DAYS');
    const maxPayments = this.config.get('ADMIN_RECONCILIATION_MAX_PAYMENTS');
    if (to.getTime() <= from.getTime()) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: to', [
        { field: 'to', message: 'must be after from' },
      ]);
    }
    if (to.getTime() - from.getTime() > maxDays * 86_400_000) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: to', [
        { field: 'to', message: `the period may be at most ${maxDays} days` },
      ]);
    }
    const payments = await this.dataSource
      .getRepository(PaymentEntity)
      .createQueryBuilder('p')
      .where('p.created_at >= :from AND p.created_at < :to', { from, to })
      .orderBy('p.createdAt', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(maxPayments + 1)
      .getMany();
    if (payments.length > maxPayments) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: to', [
        { field: 'to', message: `more than ${maxPayments} payments in the period; choose a shorter one` },
      ]);
    }

    const base = { from: from.toISOString(), to: to.toISOString(), warnings: [] as string[] };
    let registry: { records: EpayRegistryRecord[]; truncated: boolean };
    try {
      registry = await this.fetchRegistry(from, to, maxPayments);
    } catch (err) {
      if (!(err instanceof GatewayException)) throw err;
      const why = `${err.failure}${err.httpStatus ? ` (HTTP ${err.httpStatus})` : ''}`;
      this.logger.warn({ err: err.message }, 'ePay /operations registry refused; reconciling by status checks');
      return this.byStatusChecks(payments, { ...base, registryError: why });
    }
    return this.byRegistry(payments, registry, from, to, base);
  }

  toCsv(report: ReconciliationReport): string {
    return toCsv(MISMATCH_CSV_COLUMNS, report.mismatches);
  }

  private async fetchRegistry(
    from: Date,
    to: Date,
    maxPayments: number,
  ): Promise<{ records: EpayRegistryRecord[]; truncated: boolean }> {
    const records: EpayRegistryRecord[] = [];
    // the terminal may carry payments that are not ours: allow a few times our own count
    const cap = Math.max(1000, maxPayments * 3);
    const paddedTo = new Date(to.getTime() + REGISTRY_PADDING_MS);
    for (let skip = 0; ;) {
      const page = await this.tokens.withServiceToken((token) =>
        this.homebank.operationsRegistry(token, from, paddedTo, skip, REGISTRY_PAGE_SIZE),
      );
      records.push(...page.records);
      skip += page.records.length;
      if (page.records.length < REGISTRY_PAGE_SIZE || skip >= page.total) return { records, truncated: false };
      if (records.length >= cap) return { records, truncated: true };
    }
  }

  private async byRegistry(
    payments: PaymentEntity[],
    registry: { records: EpayRegistryRecord[]; truncated: boolean },
    from: Date,
    to: Date,
    base: { from: string; to: string; warnings: string[] },
  ): Promise<ReconciliationReport> {
    const byInvoice = new Map<string, EpayRegistryRecord[]>();
    for (const r of registry.records) {
      if (!r.invoiceId) continue;
      const list = byInvoice.get(r.invoiceId) ?? [];
      list.push(r);
      byInvoice.set(r.invoiceId, list);
    }
    const mismatches: Mismatch[] = [];
    const seen = new Set<string>();
    for (const p of payments) {
      seen.add(p.invoiceId);
      mismatches.push(
        ...comparePayment(ourRecord(p), pickBankRecord(byInvoice.get(p.invoiceId) ?? [], p.epayTransactionId)),
      );
    }
    // the bank's records we did not match: ours from just outside the period, or not ours at all
    const unmatched = [...byInvoice.keys()].filter((inv) => !seen.has(inv));
    const outside = unmatched.length
      ? await this.dataSource.getRepository(PaymentEntity).find({ where: { invoiceId: In(unmatched) } })
      : [];
    const outsideByInvoice = new Map(outside.map((p) => [p.invoiceId, p]));
    let bankFailuresIgnored = 0;
    let compared = payments.length;
    for (const invoiceId of unmatched) {
      const records = byInvoice.get(invoiceId) ?? [];
      const ours = outsideByInvoice.get(invoiceId);
      if (ours) {
        compared++;
        mismatches.push(...comparePayment(ourRecord(ours), pickBankRecord(records, ours.epayTransactionId)));
        continue;
      }
      for (const record of records) {
        const created = record.createdDate ? Date.parse(record.createdDate) : NaN;
        // the padding after `to` belongs to the next period
        if (Number.isFinite(created) && (created < from.getTime() || created >= to.getTime())) continue;
        if (isBankFailure(record)) bankFailuresIgnored++;
        else mismatches.push(missingHere(record));
      }
    }
    if (registry.truncated) {
      base.warnings.push(
        `the registry returned more than ${registry.records.length} records; the rest were not compared`,
      );
    }
    return {
      ...base,
      source: 'registry',
      registryError: null,
      complete: !registry.truncated,
      counts: {
        ourPayments: payments.length,
        bankRecords: registry.records.length,
        compared,
        unchecked: 0,
        mismatches: mismatches.length,
        bankFailuresIgnored,
      },
      mismatches,
    };
  }

  // Without the registry only our own payments can be asked about: "missing here" cannot be found.
  private async byStatusChecks(
    payments: PaymentEntity[],
    base: { from: string; to: string; warnings: string[]; registryError: string },
  ): Promise<ReconciliationReport> {
    const max = this.config.get('ADMIN_RECONCILIATION_MAX_STATUS_CHECKS');
    const toCheck = payments.slice(0, max);
    const skipped = payments.length - toCheck.length;
    base.warnings.push(
      `ePay refused the /operations registry (${base.registryError}): compared by status checks, ` +
        'so payments the bank has and we do not cannot be found',
    );
    if (skipped) {
      base.warnings.push(
        `only the first ${max} of ${payments.length} payments were checked (ADMIN_RECONCILIATION_MAX_STATUS_CHECKS)`,
      );
    }

    const mismatches: Mismatch[] = [];
    let unanswered = 0;
    let bankRecords = 0;
    let next = 0;
    const worker = async () => {
      while (next < toCheck.length) {
        const p = toCheck[next++];
        try {
          const reply = await this.checker.statusReplyShared(p);
          if (reply.resultCode === 100 && reply.transaction) {
            bankRecords++;
            const t = reply.transaction;
            mismatches.push(
              ...comparePayment(ourRecord(p), {
                id: t.id,
                invoiceId: t.invoiceId,
                status: t.statusName,
                amountMinor: t.amountMinor,
                orgAmountMinor: t.orgAmountMinor,
                currency: t.currency,
              }),
            );
          } else if (reply.resultCode === 102 || reply.resultCode === 101) {
            // 102 not found; 101 reject comes without a transaction: a failure on the bank's side
            mismatches.push(
              ...comparePayment(ourRecord(p), reply.resultCode === 101 ? { status: 'REJECT' } : undefined),
            );
          } else {
            unanswered++;
          }
        } catch (err) {
          unanswered++;
          this.logger.warn({ paymentId: p.id, err: (err as Error).message }, 'reconciliation status check failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(STATUS_CHECK_CONCURRENCY, toCheck.length) }, worker));
    if (unanswered) base.warnings.push(`${unanswered} status checks gave no answer`);
    // stable order for people and diffs
    mismatches.sort((a, b) => (a.invoiceId ?? '').localeCompare(b.invoiceId ?? '') || a.kind.localeCompare(b.kind));
    const unchecked = skipped + unanswered;
    return {
      ...base,
      source: 'status_checks',
      complete: unchecked === 0,
      counts: {
        ourPayments: payments.length,
        bankRecords,
        compared: toCheck.length - unanswered,
        unchecked,
        mismatches: mismatches.length,
        bankFailuresIgnored: 0,
      },
      mismatches,
    };
  }
}
