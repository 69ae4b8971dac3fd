import { Injectable } from '@nestjs/common';
import { AppConfigService } from '../../config/app-config.service';
import { parseRetrySchedule } from './utils/retry-schedule.util';

// The worker's settings, read once from validated configuration.
@Injectable()
export class OutboundEventsConfig {
  readonly enabled: boolean;
  readonly intervalMs: number;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly retrySeconds: readonly number[];
  readonly jitterPercent: number;
  // a claimed batch may wait for free slots: the lease covers the whole batch at the worst case, plus a
  // margin, so no second replica takes a delivery while its first attempt can still be running
  readonly leaseMs: number;

  constructor(config: AppConfigService) {
    this.enabled = config.get('OUTBOUND_EVENTS_ENABLED');
    this.intervalMs = config.get('OUTBOUND_EVENTS_INTERVAL_MS');
    this.batchSize = config.get('OUTBOUND_EVENTS_BATCH_SIZE');
    this.concurrency = config.get('OUTBOUND_EVENTS_CONCURRENCY');
    this.timeoutMs = config.get('OUTBOUND_EVENTS_TIMEOUT_MS');
    this.retrySeconds = parseRetrySchedule(config.get('OUTBOUND_EVENTS_RETRY_SECONDS'));
    this.jitterPercent = config.get('OUTBOUND_EVENTS_RETRY_JITTER_PERCENT');
    this.leaseMs = Math.ceil(this.batchSize / this.concurrency) * (this.timeoutMs + 1000) + 30_000;
  }
}
