import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { CardPaymentsController } from './card-payments.controller';
import { CardPaymentsService } from './card-payments.service';

@Module({
  imports: [PaymentsModule],
  controllers: [CardPaymentsController],
  providers: [CardPaymentsService],
})
export class CardPaymentsModule {}
