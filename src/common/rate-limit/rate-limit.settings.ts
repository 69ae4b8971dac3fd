import type { AppConfigService } from '../../config/app-config.service';

export const RATE_LIMIT_SETTINGS = Symbol('RATE_LIMIT_SETTINGS');

export interface RateLimitSettings {
  enabled: boolean;
  windowMs: number;
  perKey: number;
  publicPerIp: number;
  authFailuresPerIp: number;
}

export function rateLimitSettings(config: AppConfigService): RateLimitSettings {
  return {
    enabled: config.rateLimitEnabled,
    windowMs: config.get('RATE_LIMIT_WINDOW_SECONDS') * 1000,
    perKey: config.get('RATE_LIMIT_PER_KEY'),
    publicPerIp: config.get('RATE_LIMIT_PUBLIC_PER_IP'),
    authFailuresPerIp: config.get('RATE_LIMIT_AUTH_FAILURES_PER_IP'),
  };
}
