import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { AppConfigService } from '../../config/app-config.service';
import { PaymentsModule } from '../payments/payments.module';
import { ApplePaySessionService } from './apple-pay-session.service';
import { ApplePayService } from './apple-pay.service';
import { GooglePayService } from './google-pay.service';
import { ApplePayEnabledGuard, GooglePayEnabledGuard } from './wallet-feature.guards';
import { WalletPaymentsController } from './wallet-payments.controller';
import { WalletsController } from './wallets.controller';

// Google Pay and Apple Pay: payments through the shared payment flow, plus what frontends need first.
@Module({
  imports: [PaymentsModule],
  controllers: [WalletPaymentsController, WalletsController],
  providers: [GooglePayService, ApplePayService, ApplePaySessionService, GooglePayEnabledGuard, ApplePayEnabledGuard],
})
export class WalletsModule implements OnModuleInit {
  constructor(private readonly config: AppConfigService) {}

  onModuleInit(): void {
    // S4: "Integration can only be carried out in a production environment"
    if (this.config.get('APPLE_PAY_ENABLED') && this.config.get('EPAY_ENV') === 'test') {
      new Logger('WalletsModule').warn(
        'Apple Pay is enabled, but the bank accepts it only on its production gateway (S4)',
      );
    }
  }
}
