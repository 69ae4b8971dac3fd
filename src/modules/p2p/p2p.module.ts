import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { InvoiceIdService } from '../payments/invoice-id.service';
import { PaymentsModule } from '../payments/payments.module';
import { ReconciliationRegistry } from '../status/reconciliation-registry.service';
import { TransferResponseDto } from './dtos/transfer-response.dto';
import { TransferReconciliationQueue } from './transfer-reconciliation.queue';
import { TransferStateService } from './transfer-state.service';
import { TransferStatusChecker } from './transfer-status-checker.service';
import { TransferEntity } from './transfer.entity';
import { TransferEventEntity } from './transfer-event.entity';
import { TransfersController } from './transfers.controller';
import { TransfersRepository } from './transfers.repository';
import { TransfersService } from './transfers.service';

// P2P card-to-card transfers: POST /v1/transfers, GET /v1/transfers/:id, and the 'transfers'
// reconciliation queue the poller works through.
@Module({
  imports: [PaymentsModule, TypeOrmModule.forFeature([TransferEntity, TransferEventEntity])],
  controllers: [TransfersController],
  providers: [
    // stateless; PaymentsModule keeps it private, and transfers share its invoice-id rules
    InvoiceIdService,
    TransfersRepository,
    TransferStateService,
    TransferStatusChecker,
    TransferReconciliationQueue,
    TransfersService,
  ],
  exports: [TransfersRepository, TransferStateService, TransferStatusChecker],
})
export class P2pModule implements OnModuleInit {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly registry: ReconciliationRegistry,
    private readonly queue: TransferReconciliationQueue,
    private readonly transfers: TransfersRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.queue);
    // a retry after a crash mid-request answers with the transfer as it is now
    this.idempotency.registerResolver('transfer', async (id) => TransferResponseDto.from(await this.transfers.get(id)));
  }
}
