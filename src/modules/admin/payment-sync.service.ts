import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentStatusChecker } from '../payments/payment-status-checker.service';
import { PaymentEventSource } from '../payments/payment-status.enum';
import { AdminAuditService } from './admin-audit.service';
import { AdminPaymentResponseDto } from './dtos/admin-payment-response.dto';
import { PaymentOperationEntity } from './payment-operation.entity';
import { PaymentOperationsService } from './payment-operations.service';
import { OPEN_REFUND_STATUSES } from './refund-status.enum';
import { RefundEntity } from './refund.entity';
import { RefundsReconciliationQueue } from './refunds-reconciliation.queue';

export interface SyncResult {
  // applied: the bank's status was applied (changed says whether it moved); not_final_yet / config_error: nothing learnt
  outcome: string;
  changed: boolean;
  resultCode: number | null;
  payment: AdminPaymentResponseDto;
  // open refunds and charge/cancel operations of the payment, settled from the same look where possible
  openRefunds: { id: string; evidence: string }[];
  openOperations: { id: string; status: string }[];
}

// POST /v1/admin/payments/:id/sync: a status check now (source admin), recorded with the operator.
// Open refunds and operations of the payment are settled from what the bank shows (read only) and
// put back on their reconciliation queues, also those flagged for a human.
@Injectable()
export class PaymentSyncService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly checker: PaymentStatusChecker,
    private readonly audit: AdminAuditService,
    private readonly refundsQueue: RefundsReconciliationQueue,
    private readonly operations: PaymentOperationsService,
    private readonly config: AppConfigService,
  ) {}

  async sync(paymentId: string, actor: AuthenticatedApiKey, reason: string | undefined): Promise<SyncResult> {
    const payment = await this.dataSource.getRepository(PaymentEntity).findOne({ where: { id: paymentId } });
    if (!payment) throw new AppException(ErrorCode.PAYMENT_NOT_FOUND, 'Payment not found');
    const note = { action: 'sync.requested', actor: actor.id, reason: reason ?? null };
    await this.dataSource.transaction((m) => this.audit.note(m, payment, note));
    const outcome = await this.checker.check(payment, PaymentEventSource.ADMIN);

    const open = { paymentId, status: In([...OPEN_REFUND_STATUSES]) };
    const operations = await this.dataSource.getRepository(PaymentOperationEntity).find({ where: open });
    const openOperations: SyncResult['openOperations'] = [];
    for (const op of operations) {
      const settled = await this.operations.settleFromStatus(op.id, PaymentEventSource.ADMIN);
      openOperations.push({ id: op.id, status: settled.status });
    }

    const refunds = await this.dataSource.getRepository(RefundEntity).find({ where: open });
    const openRefunds: SyncResult['openRefunds'] = [];
    for (const r of refunds) openRefunds.push({ id: r.id, evidence: await this.refundsQueue.settleFromStatus(r.id) });
    // what is still open goes back on the queues now (a flagged refund too: the operator asked)
    for (const table of ['refunds', 'payment_operations']) {
      await this.dataSource.query(
        `UPDATE ${table} SET next_check_at = now()
          WHERE payment_id = $1 AND status = ANY($2::text[]) AND (next_check_at IS NULL OR next_check_at > now())`,
        [paymentId, OPEN_REFUND_STATUSES],
      );
    }

    const current = await this.dataSource.getRepository(PaymentEntity).findOneByOrFail({ id: paymentId });
    return {
      outcome: outcome.kind,
      changed: outcome.kind === 'applied' ? outcome.changed : false,
      resultCode: outcome.kind === 'applied' ? 100 : outcome.resultCode,
      payment: AdminPaymentResponseDto.fromEntity(current, this.config.publicBaseUrl),
      openRefunds,
      openOperations,
    };
  }
}
