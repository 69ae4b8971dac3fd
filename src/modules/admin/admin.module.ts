import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { P2pModule } from '../p2p/p2p.module';
import { PaymentsModule } from '../payments/payments.module';
import { AdminAuditService } from './admin-audit.service';
import { AdminListsController } from './admin-lists.controller';
import { AdminPaymentsController } from './admin-payments.controller';
import { AdminResolutionsController } from './admin-resolutions.controller';
import { AdminSearchService } from './admin-search.service';
import { PaymentInvestigationService } from './payment-investigation.service';
import { PaymentMismatchService } from './payment-mismatch.service';
import { PaymentOperationEntity } from './payment-operation.entity';
import { PaymentOperationsReconciliationQueue } from './payment-operations-reconciliation.queue';
import { PaymentOperationsService } from './payment-operations.service';
import { PaymentSyncService } from './payment-sync.service';
import { ReconciliationReportService } from './reconciliation-report.service';
import { RefundEntity } from './refund.entity';
import { RefundsReconciliationQueue } from './refunds-reconciliation.queue';
import { RefundsService } from './refunds.service';
import { TransferResolutionService } from './transfer-resolution.service';

// Issue #7: refunds with a ledger, charge/cancel of authorisations, search, the investigation view
// and reconciliation with ePay, for admin API keys. Registers the `refunds` and `payment-operations`
// queues with the reconciliation poller.
@Module({
  imports: [PaymentsModule, P2pModule, TypeOrmModule.forFeature([RefundEntity, PaymentOperationEntity])],
  controllers: [AdminPaymentsController, AdminListsController, AdminResolutionsController],
  providers: [
    AdminAuditService,
    AdminSearchService,
    PaymentInvestigationService,
    PaymentMismatchService,
    PaymentOperationsService,
    PaymentOperationsReconciliationQueue,
    PaymentSyncService,
    ReconciliationReportService,
    RefundsService,
    RefundsReconciliationQueue,
    TransferResolutionService,
  ],
  exports: [RefundsService, RefundsReconciliationQueue, PaymentOperationsReconciliationQueue],
})
export class AdminModule implements OnModuleInit {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly refunds: RefundsService,
    private readonly operations: PaymentOperationsService,
  ) {}

  onModuleInit(): void {
    // a retry after a crash mid-request answers with the resource as it is now
    this.idempotency.registerResolver('refund', async (id) => this.refunds.withPayment(await this.refunds.get(id)));
    this.idempotency.registerResolver('payment-operation', (id) => this.operations.resolve(id));
  }
}
