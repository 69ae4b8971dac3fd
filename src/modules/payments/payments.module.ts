import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigService } from '../../config/app-config.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { CheckScheduleService } from './check-schedule.service';
import { PaymentResponseDto } from './dtos/payment-response.dto';
import { InvoiceIdService } from './invoice-id.service';
import { PaymentEntity } from './payment.entity';
import { PaymentEventEntity } from './payment-event.entity';
import { PaymentFlowService } from './payment-flow.service';
import { PaymentStateService } from './payment-state.service';
import { PaymentStatusChecker } from './payment-status-checker.service';
import { PaymentTransitionHooks } from './payment-transition.hooks';
import { PaymentsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { SavedCardEntity } from './saved-card.entity';
import { SavedCardsService } from './saved-cards.service';

// The payment model every method shares: rows, state machine, status checks, the payment flow.
@Module({
  imports: [TypeOrmModule.forFeature([PaymentEntity, PaymentEventEntity, SavedCardEntity])],
  controllers: [PaymentsController],
  providers: [
    CheckScheduleService,
    InvoiceIdService,
    PaymentsRepository,
    PaymentStateService,
    PaymentTransitionHooks,
    PaymentStatusChecker,
    PaymentFlowService,
    SavedCardsService,
  ],
  exports: [
    CheckScheduleService,
    PaymentsRepository,
    PaymentStateService,
    PaymentTransitionHooks,
    PaymentStatusChecker,
    PaymentFlowService,
    SavedCardsService,
  ],
})
export class PaymentsModule implements OnModuleInit {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly payments: PaymentsRepository,
    private readonly config: AppConfigService,
  ) {}

  onModuleInit(): void {
    // a retry after a crash mid-request answers with the payment as it is now
    this.idempotency.registerResolver('payment', async (id) =>
      PaymentResponseDto.from(await this.payments.get(id), this.config.publicBaseUrl),
    );
  }
}
