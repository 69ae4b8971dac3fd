import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentStatusChecker } from '../payments/payment-status-checker.service';
import { PaymentMethod } from '../payments/payment-status.enum';
import { PaymentsModule } from '../payments/payments.module';
import { ReconciliationRegistry } from '../status/reconciliation-registry.service';
import { WidgetAuthInterceptor } from './widget-auth.interceptor';
import { WidgetExpiryQueue } from './widget-expiry.queue';
import { WidgetSessionEntity } from './widget-session.entity';
import { WidgetController } from './widget.controller';
import { WidgetService } from './widget.service';

// The bank's hosted payment widget (S1): POST /v1/payments/widget, and the queue that closes widget
// payments nobody paid before their token expired.
@Module({
  imports: [PaymentsModule, TypeOrmModule.forFeature([WidgetSessionEntity])],
  controllers: [WidgetController],
  providers: [WidgetService, WidgetAuthInterceptor, WidgetExpiryQueue],
})
export class WidgetModule implements OnModuleInit {
  constructor(
    private readonly registry: ReconciliationRegistry,
    private readonly expiry: WidgetExpiryQueue,
    private readonly checker: PaymentStatusChecker,
    private readonly widget: WidgetService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.expiry);
    // the widget lets the customer try again on the same invoice (the bank allows several attempts):
    // a declined attempt settles nothing while the widget token is still valid
    this.checker.registerRetryWindow(PaymentMethod.WIDGET, (payment) => this.widget.customerMayStillPay(payment.id));
  }
}
