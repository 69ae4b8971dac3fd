import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfigService } from '../../config/app-config.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentStatusChecker, StatusCheckOutcome } from '../payments/payment-status-checker.service';
import { PaymentEventSource } from '../payments/payment-status.enum';
import { POLLABLE_PAYMENT_STATUSES } from '../status/utils/reconciliation-schedule.util';

interface ConfirmJob {
  callbackId: string;
  paymentId: string;
  // check even if the payment is no longer in flight (a success callback for a failed payment)
  force?: boolean;
}

// callbacks of one payment waiting together share one job (and so one status check)
interface WaitingJob {
  callbackIds: string[];
  paymentId: string;
  force: boolean;
}

// Confirms accepted callbacks with a status check, after ePay's request has been answered. In memory
// on purpose: if the process dies first, the callback row stays unprocessed and the payment, still in
// flight, is re-checked by the poller (the callback moved its next_check_at forward).
@Injectable()
export class PostLinkConfirmerService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PostLinkConfirmerService.name);
  private readonly waiting: WaitingJob[] = [];
  private readonly active = new Set<Promise<void>>();
  private readonly concurrency: number;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly checker: PaymentStatusChecker,
    config: AppConfigService,
  ) {
    // one at a time on the embedded PGlite database (see ReconciliationPollerService)
    this.concurrency = config.isEmbeddedDatabase ? 1 : config.get('POSTLINK_CONFIRM_CONCURRENCY');
  }

  enqueue(job: ConfirmJob): void {
    if (this.stopping) return;
    const same = this.waiting.find((w) => w.paymentId === job.paymentId);
    if (same) {
      same.callbackIds.push(job.callbackId);
      same.force ||= job.force ?? false;
      return;
    }
    this.waiting.push({ callbackIds: [job.callbackId], paymentId: job.paymentId, force: job.force ?? false });
    this.pump();
  }

  // Resolves when nothing is waiting or running (tests, shutdown).
  async whenIdle(): Promise<void> {
    while (this.active.size > 0 || this.waiting.length > 0) await Promise.allSettled([...this.active]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    // unstarted confirmations are dropped: their payments are covered by the poller
    this.stopping = true;
    this.waiting.length = 0;
    await Promise.allSettled([...this.active]);
  }

  private pump(): void {
    while (this.active.size < this.concurrency && this.waiting.length > 0 && !this.stopping) {
      const job = this.waiting.shift()!;
      const run: Promise<void> = this.confirm(job)
        .catch((err: unknown) =>
          this.logger.error({ ...job, err: (err as Error).message }, 'postLink confirmation failed'),
        )
        .finally(() => {
          this.active.delete(run);
          this.pump();
        });
      this.active.add(run);
    }
  }

  private async confirm({ callbackIds, paymentId, force }: WaitingJob): Promise<void> {
    const payment = await this.dataSource.getRepository(PaymentEntity).findOne({ where: { id: paymentId } });
    let outcome: string;
    if (!payment) {
      outcome = 'payment vanished';
    } else if (!force && !POLLABLE_PAYMENT_STATUSES.includes(payment.status)) {
      // settled since the callback came (by an earlier callback's check, a refresh, the poller)
      outcome = `payment already ${payment.status}; nothing to confirm`;
    } else {
      try {
        // a check that starts after the callback arrived, shared with any other hint for this payment
        outcome = describe(
          await this.checker.checkShared(paymentId, 'after', PaymentEventSource.POST_LINK, {
            data: { postLinkCallbackId: callbackIds[0] },
          }),
        );
      } catch (err) {
        outcome = `status check failed (${(err as Error).message}); left to the poller`;
      }
    }
    await this.dataSource.query(
      `UPDATE postlink_callbacks SET processed_at = now(), outcome = $2 WHERE id = ANY($1::uuid[])`,
      [callbackIds, outcome.slice(0, 500)],
    );
    this.logger.log({ paymentId, callbackIds, outcome }, 'postLink confirmed by status check');
  }
}

function describe(o: StatusCheckOutcome): string {
  switch (o.kind) {
    case 'applied':
      if (o.refused) return `status check disagrees with the payment (${o.payment.status}); flagged for attention`;
      return o.changed ? `status check: now ${o.payment.status}` : `status check: still ${o.payment.status}`;
    case 'not_final_yet':
      return `status check: not settled yet (resultCode ${o.resultCode}); left to the poller`;
    case 'config_error':
      return `status check refused (resultCode ${o.resultCode}); left to the poller`;
  }
}
