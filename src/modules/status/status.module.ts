import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { PaymentsReconciliationQueue } from './payments-reconciliation.queue';
import { ReconciliationPollerService } from './reconciliation-poller.service';

// Status checks with ePay on a schedule: the generic reconciliation poller and the `payments` queue
// (P2P and admin register `transfers` and `refunds` with the same ReconciliationRegistry).
@Module({
  imports: [PaymentsModule],
  providers: [PaymentsReconciliationQueue, ReconciliationPollerService],
  exports: [ReconciliationPollerService],
})
export class StatusModule {}
