import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfigService } from '../../config/app-config.service';
import { MetricsService } from '../../metrics/metrics.service';
import type { ReconciliationQueue } from './reconciliation-queue.interface';
import { ReconciliationRegistry } from './reconciliation-registry.service';
import { runWithConcurrency } from './utils/run-with-concurrency.util';

export const RECONCILIATION_POLLER_INTERVAL = 'reconciliation-poller';

// A run drains at most this many full batches of one queue, so a backlog in one queue cannot starve
// the others; what is left is due and claimed by the next run (or another replica).
export const MAX_BATCHES_PER_QUEUE_PER_RUN = 10;

export interface QueueRunSummary {
  queue: string;
  checked: number;
  changed: number;
  errors: number;
  lagSeconds: number;
}

export interface PollerRunSummary {
  checked: number;
  changed: number;
  errors: number;
  durationMs: number;
  queues: QueueRunSummary[];
}

// The scheduled reconciliation with ePay, generic over the registered queues (payments, transfers,
// refunds). Every replica runs it; the queues' FOR UPDATE SKIP LOCKED claims with a lease make sure
// an item is checked by one replica at a time, and a crashed replica's claims simply expire.
// The interval comes from configuration, so it is registered with SchedulerRegistry at start
// instead of a static @Interval.
@Injectable()
export class ReconciliationPollerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReconciliationPollerService.name);
  private running?: Promise<PollerRunSummary>;
  private stopping = false;
  private readonly checked;
  private readonly changed;
  private readonly errors;
  private readonly lag;
  private readonly duration;

  constructor(
    private readonly registry: ReconciliationRegistry,
    private readonly config: AppConfigService,
    private readonly scheduler: SchedulerRegistry,
    metrics: MetricsService,
  ) {
    this.checked = metrics.counter('reconciliation_checked_total', 'Items checked with ePay by the poller', ['queue']);
    this.changed = metrics.counter('reconciliation_changed_total', 'Poller checks that changed an item', ['queue']);
    this.errors = metrics.counter('reconciliation_errors_total', 'Poller checks that failed', ['queue']);
    this.lag = metrics.gauge('reconciliation_lag_seconds', 'Seconds since the oldest due item became due', ['queue']);
    this.duration = metrics.histogram(
      'reconciliation_run_duration_seconds',
      'Duration of one poller run',
      [],
      [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    );
  }

  onApplicationBootstrap(): void {
    if (!this.config.get('POLLER_ENABLED')) {
      this.logger.log('reconciliation poller disabled (POLLER_ENABLED=false)');
      return;
    }
    const timeoutMs = this.config.get('EPAY_TIMEOUT_MS');
    if (this.config.get('POLLER_LEASE_MS') < 3 * timeoutMs) {
      this.logger.warn('POLLER_LEASE_MS is shorter than three ePay timeouts: a slow batch may be checked twice');
    }
    const timer = setInterval(() => void this.tick(), this.config.get('POLLER_INTERVAL_MS'));
    this.scheduler.addInterval(RECONCILIATION_POLLER_INTERVAL, timer);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', RECONCILIATION_POLLER_INTERVAL))
      this.scheduler.deleteInterval(RECONCILIATION_POLLER_INTERVAL);
    // let the current item finish (no half-written schedule); unstarted claims expire with their lease
    await this.running?.catch(() => undefined);
  }

  // A tick while the previous run is still going is skipped, not queued.
  async tick(): Promise<void> {
    if (this.running || this.stopping) return;
    try {
      await this.runOnce();
    } catch (err) {
      this.logger.error({ err: (err as Error).message }, 'reconciliation run failed');
    }
  }

  // One run over every queue; concurrent callers share the run in progress.
  runOnce(): Promise<PollerRunSummary> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<PollerRunSummary> {
    const started = performance.now();
    const queues: QueueRunSummary[] = [];
    for (const queue of this.registry.all()) {
      if (this.stopping) break;
      queues.push(await this.drain(queue));
    }
    const summary: PollerRunSummary = {
      checked: queues.reduce((n, q) => n + q.checked, 0),
      changed: queues.reduce((n, q) => n + q.changed, 0),
      errors: queues.reduce((n, q) => n + q.errors, 0),
      durationMs: Math.round(performance.now() - started),
      queues,
    };
    this.duration.observe(summary.durationMs / 1000);
    // one line per run; idle runs only at debug level
    const line = {
      checked: summary.checked,
      changed: summary.changed,
      errors: summary.errors,
      durationMs: summary.durationMs,
      lagSeconds: Object.fromEntries(queues.map((q) => [q.queue, Math.round(q.lagSeconds)])),
    };
    if (summary.checked || summary.errors) this.logger.log(line, 'reconciliation run');
    else this.logger.debug(line, 'reconciliation run');
    return summary;
  }

  private async drain(queue: ReconciliationQueue): Promise<QueueRunSummary> {
    const batchSize = this.config.get('POLLER_BATCH_SIZE');
    const leaseMs = this.config.get('POLLER_LEASE_MS');
    // the embedded PGlite database serves one query at a time anyway (and its socket layer mixes up
    // concurrent parameterised queries), so checks there run one by one
    const concurrency = this.config.isEmbeddedDatabase ? 1 : this.config.get('POLLER_CONCURRENCY');
    const summary: QueueRunSummary = { queue: queue.name, checked: 0, changed: 0, errors: 0, lagSeconds: 0 };
    try {
      for (let batch = 0; batch < MAX_BATCHES_PER_QUEUE_PER_RUN && !this.stopping; batch++) {
        const ids = await queue.claimDue(batchSize, leaseMs);
        const results = await runWithConcurrency(
          ids,
          concurrency,
          (id) =>
            queue.reconcile(id).catch((err: unknown) => {
              this.logger.warn({ queue: queue.name, id, err: (err as Error).message }, 'reconcile failed');
              return 'error' as const;
            }),
          () => this.stopping,
        );
        for (const r of results) {
          if (r === undefined) continue;
          summary.checked++;
          if (r === 'changed') summary.changed++;
          if (r === 'error') summary.errors++;
        }
        if (ids.length < batchSize) break;
      }
      summary.lagSeconds = await queue.oldestDueLagSeconds();
    } catch (err) {
      // a queue that cannot even claim (database down) must not stop the others
      summary.errors++;
      this.logger.error({ queue: queue.name, err: (err as Error).message }, 'reconciliation queue failed');
    }
    this.checked.inc({ queue: queue.name }, summary.checked);
    this.changed.inc({ queue: queue.name }, summary.changed);
    this.errors.inc({ queue: queue.name }, summary.errors);
    this.lag.set({ queue: queue.name }, summary.lagSeconds);
    return summary;
  }
}
