import { Logger, type Provider } from '@nestjs/common';
import { AppConfigService } from '../../config/app-config.service';
import { SecretBox } from './secret-box';

// One SecretBox per app, from ENCRYPTION_KEY / ENCRYPTION_KEYS_OLD.
export const SECRET_BOX_PROVIDER: Provider = {
  provide: SecretBox,
  inject: [AppConfigService],
  useFactory: (config: AppConfigService) =>
    SecretBox.fromSettings(
      { ENCRYPTION_KEY: config.get('ENCRYPTION_KEY'), ENCRYPTION_KEYS_OLD: config.get('ENCRYPTION_KEYS_OLD') },
      (message) => new Logger('SecretBox').warn(message),
    ),
};
