import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { DomainEventsModule } from './common/events/domain-events.service';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import { buildLoggerParams } from './common/logging/logger.config';
import { AppConfigModule, EnvOverrides } from './config/app-config.module';
import { AppConfigService } from './config/app-config.service';
import { DatabaseModule } from './database/database.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { AuthModule } from './modules/auth/auth.module';
import { CardPaymentsModule } from './modules/card-payments/card-payments.module';
import { CheckoutModule } from './modules/checkout/checkout.module';
import { CryptoModule } from './modules/crypto/crypto.module';
import { IdempotencyModule } from './modules/idempotency/idempotency.module';
import { PaymentsModule } from './modules/payments/payments.module';
import { ThreeDsModule } from './modules/three-ds/three-ds.module';
import { WalletsModule } from './modules/wallets/wallets.module';
import { WidgetModule } from './modules/widget/widget.module';
import { P2pModule } from './modules/p2p/p2p.module';
import { ReconciliationRegistryModule } from './modules/status/reconciliation-registry.service';
import { StatusModule } from './modules/status/status.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { AdminModule } from './modules/admin/admin.module';
import { OutboundEventsModule } from './modules/outbound-events/outbound-events.module';
import { RetentionModule } from './modules/retention/retention.module';

// Feature modules are listed here; configuration is bound when the app is created (forRoot).
const FEATURE_MODULES = [
  HealthModule,
  GatewayModule,
  AuthModule,
  CryptoModule,
  IdempotencyModule,
  PaymentsModule,
  CardPaymentsModule,
  ThreeDsModule,
  WalletsModule,
  WidgetModule,
  P2pModule,
  StatusModule,
  WebhooksModule,
  AdminModule,
  OutboundEventsModule,
  CheckoutModule,
  RetentionModule,
];

@Module({})
export class AppModule {
  static forRoot(env: EnvOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(env),
        LoggerModule.forRootAsync({ inject: [AppConfigService], useFactory: buildLoggerParams }),
        ScheduleModule.forRoot(),
        DatabaseModule,
        MetricsModule,
        ApiKeysModule,
        // after ApiKeysModule: its guard runs after the key guard
        RateLimitModule,
        DomainEventsModule,
        ReconciliationRegistryModule,
        ...FEATURE_MODULES,
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
