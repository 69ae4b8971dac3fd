import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { hostname } from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { SecretBox } from '../../common/crypto/secret-box';
import { AppConfigService } from '../../config/app-config.service';
import { MetricsService } from '../../metrics/metrics.service';
import { runWithConcurrency } from '../status/utils/run-with-concurrency.util';
import { OutboundEventsConfig } from './outbound-events.config';
import { AttemptOutcome, ClaimedDelivery, OutboundDeliveriesRepository } from './outbound-deliveries.repository';
import { minimumRetryWindowSeconds, retryDelayMs } from './utils/retry-schedule.util';
import {
  signatureHeader,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './utils/webhook-signature.util';
import { WebhookSenderService } from './webhook-sender.service';

const INTERVAL_NAME = 'outbound-events-delivery';
// a run keeps claiming while batches come back full, but yields after this long so a backlog cannot
// keep one replica's run going forever
const MAX_RUN_MS = 30_000;
const BACKLOG_REFRESH_MS = 10_000;

export interface DeliveryRunSummary {
  claimed: number;
  delivered: number;
  failed: number;
  dead: number;
  lostClaims: number;
}

// Sends claimed deliveries: sign, POST, store the attempt, then delivered / retry later / dead letter.
@Injectable()
export class OutboundDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboundDeliveryWorker.name);
  // names this replica in attempt rows
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private running: Promise<void> | undefined;
  private stopped = false;
  private backlogCheckedAt = 0;
  private readonly results: Counter<'result'>;
  private readonly duration: Histogram<'result'>;
  private readonly lag: Histogram<string>;
  private readonly openGauge: Gauge<string>;
  private readonly oldestGauge: Gauge<string>;

  constructor(
    private readonly config: OutboundEventsConfig,
    private readonly deliveries: OutboundDeliveriesRepository,
    private readonly sender: WebhookSenderService,
    private readonly scheduler: SchedulerRegistry,
    private readonly appConfig: AppConfigService,
    private readonly secrets: SecretBox,
    metrics: MetricsService,
  ) {
    this.results = metrics.counter('outbound_event_attempts_total', 'Outbound event delivery attempts by result', [
      'result',
    ]);
    this.duration = metrics.histogram(
      'outbound_event_attempt_duration_seconds',
      'Outbound event HTTP attempt latency',
      ['result'],
    );
    this.lag = metrics.histogram(
      'outbound_event_delivery_lag_seconds',
      'From event creation to successful delivery',
      [],
      [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400],
    );
    this.openGauge = metrics.gauge('outbound_event_deliveries_open', 'Deliveries pending or waiting for a retry', []);
    this.oldestGauge = metrics.gauge(
      'outbound_event_oldest_open_seconds',
      'Age of the oldest event not yet delivered',
      [],
    );
  }

  onApplicationBootstrap(): void {
    const windowHours = minimumRetryWindowSeconds(this.config.retrySeconds, this.config.jitterPercent) / 3600;
    if (windowHours < 24 && this.appConfig.isProduction) {
      this.logger.warn(
        { windowHours: Math.round(windowHours * 10) / 10 },
        'OUTBOUND_EVENTS_RETRY_SECONDS gives up in less than 24 hours',
      );
    }
    if (!this.config.enabled) return;
    this.scheduler.addInterval(
      INTERVAL_NAME,
      setInterval(() => this.tick(), this.config.intervalMs),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    // let attempts in flight finish and settle (each is bounded by the HTTP timeout)
    await this.running;
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.runOnce()
      .then(() => undefined)
      .catch((err: Error) =>
        this.logger.error({ err: { name: err.name, message: err.message } }, 'outbound events run failed'),
      )
      .finally(() => (this.running = undefined));
  }

  async runOnce(): Promise<DeliveryRunSummary> {
    const started = Date.now();
    const summary: DeliveryRunSummary = { claimed: 0, delivered: 0, failed: 0, dead: 0, lostClaims: 0 };
    for (;;) {
      const claimToken = randomUUID();
      const batch = await this.deliveries.claim(this.config.batchSize, this.config.leaseMs, claimToken);
      summary.claimed += batch.length;
      const attempted = await runWithConcurrency(
        batch,
        this.config.concurrency,
        (d) =>
          // a database error while settling leaves the delivery leased: it is tried again once the lease ends
          this.attempt(d, summary)
            .catch((err: Error) =>
              this.logger.error(
                { deliveryId: d.id, err: { name: err.name, message: err.message } },
                'outbound delivery attempt failed to settle',
              ),
            )
            .then(() => true),
        () => this.stopped,
      );
      // shutting down: hand back what was claimed but not started, so another replica sends it now
      // instead of after the lease
      const unstarted = batch.filter((_, i) => !attempted[i]).map((d) => d.id);
      if (unstarted.length) await this.deliveries.release(unstarted, claimToken);
      if (batch.length < this.config.batchSize || this.stopped || Date.now() - started > MAX_RUN_MS) break;
    }
    await this.refreshBacklog();
    if (summary.claimed > 0) {
      this.logger.log({ ...summary, ms: Date.now() - started }, 'outbound events delivery run');
    }
    return summary;
  }

  private async attempt(d: ClaimedDelivery, summary: DeliveryRunSummary): Promise<void> {
    // the body is the same bytes on every attempt; only the timestamp and signature change
    const body = JSON.stringify({
      id: d.eventId,
      type: d.eventType,
      created: d.eventCreatedAt.toISOString(),
      data: d.eventData,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const secrets = [this.secrets.open(d.secret)];
    if (d.previousSecret && d.previousSecretExpiresAt && d.previousSecretExpiresAt.getTime() > Date.now())
      secrets.push(this.secrets.open(d.previousSecret));
    const headers = {
      [WEBHOOK_ID_HEADER]: d.eventId,
      [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
      [WEBHOOK_SIGNATURE_HEADER]: signatureHeader(secrets, timestamp, body),
    };
    const startedAt = new Date();
    const result = await this.sender.post(d.url, body, headers, this.config.timeoutMs);

    let outcome: AttemptOutcome;
    if (result.success) {
      outcome = { kind: 'delivered' };
    } else {
      const delayMs = retryDelayMs(d.attemptCount, this.config.retrySeconds, this.config.jitterPercent);
      outcome = delayMs === null ? { kind: 'dead' } : { kind: 'retry', delayMs };
    }
    const settled = await this.deliveries.settle(
      {
        deliveryId: d.id,
        claimToken: d.claimToken,
        eventId: d.eventId,
        endpointId: d.endpointId,
        attempt: d.totalAttempts,
        worker: this.workerId,
        startedAt,
        durationMs: result.durationMs,
        statusCode: result.statusCode,
        success: result.success,
        responseExcerpt: result.responseExcerpt,
        error: result.error,
      },
      outcome,
    );
    if (!settled) {
      // the lease ran out, or an admin replayed / the endpoint was deleted meanwhile: the attempt is
      // stored, the delivery's state is the new owner's
      summary.lostClaims += 1;
      this.results.inc({ result: 'lost' });
      this.logger.warn(
        { deliveryId: d.id, eventId: d.eventId, success: result.success },
        'delivery claim lost before the attempt was settled',
      );
      return;
    }
    const label = outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' ? 'failed' : 'dead';
    this.results.inc({ result: label });
    this.duration.observe({ result: label }, result.durationMs / 1000);
    if (outcome.kind === 'delivered') {
      summary.delivered += 1;
      this.lag.observe({}, (Date.now() - d.eventCreatedAt.getTime()) / 1000);
    } else if (outcome.kind === 'retry') {
      summary.failed += 1;
    } else {
      summary.dead += 1;
      // endpoint id only: a company URL may carry its own token in the query string
      this.logger.warn(
        {
          deliveryId: d.id,
          eventId: d.eventId,
          endpointId: d.endpointId,
          attempts: d.attemptCount,
          error: result.error,
        },
        'outbound event delivery is dead after its last retry',
      );
    }
  }

  private async refreshBacklog(): Promise<void> {
    if (Date.now() - this.backlogCheckedAt < BACKLOG_REFRESH_MS) return;
    this.backlogCheckedAt = Date.now();
    const { open, oldestSeconds } = await this.deliveries.backlog();
    this.openGauge.set(open);
    this.oldestGauge.set(oldestSeconds);
  }
}
