import { Injectable } from '@nestjs/common';
import { AppConfigService } from '../../config/app-config.service';
import { PaymentStatus } from './payment-status.enum';
import { checkDelayMs, nextCheckAt, parseBackoff } from './utils/check-schedule.util';

// The poller's timetable, from configuration (POLLER_BACKOFF_SECONDS, AUTH_WINDOW_HOURS).
@Injectable()
export class CheckScheduleService {
  readonly backoffSeconds: readonly number[];
  readonly authWindowMs: number;

  constructor(config: AppConfigService) {
    this.backoffSeconds = parseBackoff(config.get('POLLER_BACKOFF_SECONDS'));
    this.authWindowMs = config.get('AUTH_WINDOW_HOURS') * 3_600_000;
  }

  next(status: PaymentStatus, attempts: number, now = new Date(), failureCode?: string | null): Date | null {
    return nextCheckAt(status, attempts, now, this, failureCode);
  }

  delayMs(attempts: number): number {
    return checkDelayMs(attempts, this.backoffSeconds);
  }
}
