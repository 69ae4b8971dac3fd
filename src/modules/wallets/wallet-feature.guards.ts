import { CanActivate, Injectable } from '@nestjs/common';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';

// Guards run before validation and idempotency: a switched-off wallet answers 404 FEATURE_DISABLED
// whatever the body, and records nothing.
@Injectable()
export class GooglePayEnabledGuard implements CanActivate {
  constructor(private readonly config: AppConfigService) {}

  canActivate(): boolean {
    if (!this.config.get('GOOGLE_PAY_ENABLED'))
      throw new AppException(ErrorCode.FEATURE_DISABLED, 'Google Pay is not enabled');
    return true;
  }
}

@Injectable()
export class ApplePayEnabledGuard implements CanActivate {
  constructor(private readonly config: AppConfigService) {}

  canActivate(): boolean {
    if (!this.config.get('APPLE_PAY_ENABLED'))
      throw new AppException(ErrorCode.FEATURE_DISABLED, 'Apple Pay is not enabled');
    return true;
  }
}
