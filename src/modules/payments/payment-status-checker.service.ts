import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DomainEvents } from '../../common/events/domain-events.service';
import { AppConfigService } from '../../config/app-config.service';
import type { EpayStatusReply } from '../../gateway/gateway-api.types';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { MetricsService } from '../../metrics/metrics.service';
import { EpayTokenService } from '../auth/epay-token.service';
import { bankLedgerMismatch, LedgerSnapshot } from '../status/utils/bank-ledger-mismatch.util';
import { CoalescedChecks, CoalescedResult } from '../status/utils/coalesced-checks';
import { interpretStatusReply } from '../status/utils/interpret-status-reply.util';
import { PaymentResponseDto } from './dtos/payment-response.dto';
import { PaymentEntity } from './payment.entity';
import { PaymentEventEntity } from './payment-event.entity';
import { isFinal } from './payment-state-machine';
import { PaymentStateService } from './payment-state.service';
import { PaymentEventSource, PaymentStatus } from './payment-status.enum';
import { PaymentsRepository } from './payments.repository';

export { NOT_FOUND_FINAL_AFTER_MS } from '../status/utils/interpret-status-reply.util';

export type StatusCheckOutcome =
  // `refused`: the bank's status is not a legal move from ours (the payment is flagged for a human)
  | { kind: 'applied'; payment: PaymentEntity; changed: boolean; refused?: boolean }
  | { kind: 'not_final_yet'; payment: PaymentEntity; resultCode: number }
  | { kind: 'config_error'; payment: PaymentEntity; resultCode: number };

export interface StatusCheckOptions {
  // stored on the payment_events row of a resulting change (e.g. the postLink callback that asked)
  data?: Record<string, unknown>;
  // our refund ledger as read before the status request (see bankLedgerMismatch)
  ledgerBefore?: LedgerSnapshot;
}

export interface AttentionOptions {
  // other columns to write in the same transaction (the poller stops polling a flagged payment)
  extra?: Partial<Pick<PaymentEntity, 'nextCheckAt' | 'leaseUntil' | 'lastCheckedAt' | 'checkAttempts'>>;
  data?: Record<string, unknown>;
  // the bank's amounts or status disagree with our ledger: also a payment.bank_mismatch event
  mismatch?: boolean;
}

// Our refund ledger of a payment (the admin module owns the refunds table and registers it).
export type LedgerReader = (paymentId: string) => Promise<LedgerSnapshot>;

// Asks ePay for a payment's status by invoiceId and applies what it says through the state machine
// (S0, API.md §7; the meaning of each resultCode/statusName is in interpretStatusReply).
// Says whether the customer may still be trying (e.g. inside the hosted widget while its token is
// valid): then a failed attempt is not the payment's outcome yet.
export type RetryWindow = (payment: PaymentEntity) => Promise<boolean>;

// bank statuses that mean the customer's money was taken
const MONEY_TAKEN: ReadonlySet<PaymentStatus> = new Set([
  PaymentStatus.AUTHORIZED,
  PaymentStatus.CHARGED,
  PaymentStatus.PARTIALLY_REFUNDED,
  PaymentStatus.REFUNDED,
]);
// 'latest': the bank's answer now (refresh, report); 'after': look again, something happened (hint)
export type SharedCheckMode = 'latest' | 'after';

// what one coalesced bank call produced; `outcome` when the caller that started it applied it
interface SharedStatus {
  reply: EpayStatusReply;
  outcome?: StatusCheckOutcome;
}

// background hints running at once per replica; more are dropped (the poller has the payment)
const MAX_BACKGROUND_HINTS = 32;

@Injectable()
export class PaymentStatusChecker implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PaymentStatusChecker.name);
  private readonly retryWindows = new Map<string, RetryWindow>();
  private ledger?: LedgerReader;
  // the one coalescing of status checks: refresh, postLink, the reconciliation report, unreadable replies
  private readonly coalesced: CoalescedChecks<SharedStatus>;
  private readonly hints = new Set<Promise<unknown>>();
  private readonly requests;

  registerRetryWindow(method: PaymentEntity['method'], window: RetryWindow): void {
    this.retryWindows.set(method, window);
  }

  registerLedger(reader: LedgerReader): void {
    this.ledger = reader;
  }

  constructor(
    private readonly homebank: HomebankHttpService,
    private readonly tokens: EpayTokenService,
    private readonly state: PaymentStateService,
    private readonly events: DomainEvents,
    private readonly config: AppConfigService,
    private readonly payments: PaymentsRepository,
    metrics: MetricsService,
  ) {
    this.coalesced = new CoalescedChecks(config.get('STATUS_CHECK_MIN_INTERVAL_MS'));
    this.requests = metrics.counter(
      'status_check_requests_total',
      'Status checks asked for through the coalescing, by whether they made a bank call',
      ['mode', 'result'],
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.coalesced.close();
    await Promise.allSettled([...this.hints]);
  }

  // A status check through the coalescing (one bank call per payment in flight, one per
  // STATUS_CHECK_MIN_INTERVAL_MS): the payment is read when the check starts, and callers that share
  // another's check get the payment as it is after that check.
  async checkShared(
    paymentId: string,
    mode: SharedCheckMode,
    source: PaymentEventSource,
    options: StatusCheckOptions = {},
  ): Promise<StatusCheckOutcome> {
    const res = await this.runShared(paymentId, mode, async () => {
      const payment = await this.payments.get(paymentId);
      const { reply, outcome } = await this.checkWithReply(payment, source, options);
      return { reply, outcome };
    });
    const { outcome, reply } = res.value;
    if (outcome && !res.shared) return outcome;
    const payment = await this.payments.get(paymentId);
    if (!outcome) return this.apply(payment, reply, source, options);
    return outcome.kind === 'applied' ? { ...outcome, payment, changed: false } : { ...outcome, payment };
  }

  // The bank's status reply without applying it (the reconciliation report), through the same coalescing.
  async statusReplyShared(payment: PaymentEntity): Promise<EpayStatusReply> {
    const res = await this.runShared(payment.id, 'latest', async () => ({ reply: await this.fetch(payment) }));
    return res.value.reply;
  }

  // Fire and forget: a check that starts after now, in the background, bounded; failures are left to
  // the poller (which has the payment scheduled anyway).
  hint(paymentId: string, source: PaymentEventSource, options: StatusCheckOptions = {}): void {
    if (this.hints.size >= MAX_BACKGROUND_HINTS) {
      this.requests.inc({ mode: 'after', result: 'dropped' });
      return;
    }
    const run: Promise<unknown> = this.checkShared(paymentId, 'after', source, options)
      .catch((err: unknown) =>
        this.logger.warn(
          { paymentId, err: (err as Error).message },
          'background status check failed; left to the poller',
        ),
      )
      .finally(() => this.hints.delete(run));
    this.hints.add(run);
  }

  // Resolves when no background hint is running (tests).
  async whenHintsIdle(): Promise<void> {
    while (this.hints.size > 0) await Promise.allSettled([...this.hints]);
  }

  private async runShared(
    paymentId: string,
    mode: SharedCheckMode,
    fn: () => Promise<SharedStatus>,
  ): Promise<CoalescedResult<SharedStatus>> {
    const res = await (mode === 'latest' ? this.coalesced.latest(paymentId, fn) : this.coalesced.after(paymentId, fn));
    this.requests.inc({ mode, result: res.shared ? 'shared' : 'bank_call' });
    return res;
  }

  private fetch(payment: PaymentEntity): Promise<EpayStatusReply> {
    return this.tokens.withServiceToken((token) =>
      this.homebank.checkPaymentStatus(token, payment.invoiceId, { paymentId: payment.id }),
    );
  }

  async check(
    payment: PaymentEntity,
    source: PaymentEventSource,
    options: StatusCheckOptions = {},
  ): Promise<StatusCheckOutcome> {
    return (await this.checkWithReply(payment, source, options)).outcome;
  }

  // The same, also returning the bank's reply (the refunds queue reads its amounts).
  async checkWithReply(
    payment: PaymentEntity,
    source: PaymentEventSource,
    options: StatusCheckOptions = {},
  ): Promise<{ outcome: StatusCheckOutcome; reply: EpayStatusReply }> {
    const ledgerBefore = options.ledgerBefore ?? (await this.ledger?.(payment.id));
    const reply = await this.fetch(payment);
    return { outcome: await this.apply(payment, reply, source, { ...options, ledgerBefore }), reply };
  }

  async apply(
    payment: PaymentEntity,
    reply: EpayStatusReply,
    source: PaymentEventSource,
    options: StatusCheckOptions = {},
  ): Promise<StatusCheckOutcome> {
    const verdict = interpretStatusReply(payment, reply);
    if (
      verdict.kind === 'settle' &&
      verdict.to === PaymentStatus.FAILED &&
      (await this.retryWindows.get(payment.method)?.(payment))
    ) {
      // the bank reports the attempt that failed; the customer can still pay on this invoice
      return { kind: 'not_final_yet', payment, resultCode: reply.resultCode };
    }
    switch (verdict.kind) {
      case 'wait':
        if (verdict.unexpected)
          this.logger.warn(
            { paymentId: payment.id, resultCode: verdict.resultCode },
            `status check: ${verdict.reason}`,
          );
        return { kind: 'not_final_yet', payment, resultCode: verdict.resultCode };
      case 'config_error':
        this.logger.error(
          { paymentId: payment.id, resultCode: verdict.resultCode },
          `status check refused: ${verdict.reason}`,
        );
        return { kind: 'config_error', payment, resultCode: verdict.resultCode };
      case 'attention': {
        // never let a disagreeing bank record settle a payment
        this.logger.error({ paymentId: payment.id }, `status check: ${verdict.reason}`);
        const flagged = await this.flagForAttention(payment.id, verdict.reason, source, { data: options.data });
        return { kind: 'applied', payment: flagged.payment, changed: false };
      }
      case 'settle': {
        const result = await this.state.transition(payment.id, {
          to: verdict.to,
          source,
          reason: verdict.reason,
          patch: verdict.patch,
          data: options.data,
        });
        if (result.refused && verdict.to !== PaymentStatus.PENDING) {
          // e.g. the bank says CANCEL for a payment we hold as charged: the truth and our record disagree
          const why = `bank reports ${verdict.to} but the payment is ${result.from}`;
          const level = isFinal(result.from) ? 'warn' : 'error';
          this.logger[level](
            { paymentId: payment.id, ours: result.from, bank: verdict.to },
            'bank status disagrees with ours',
          );
          // money taken for a payment we hold as failed: an operator settles it (resolve-mismatch)
          const moneyTaken = result.from === PaymentStatus.FAILED && MONEY_TAKEN.has(verdict.to);
          const flagged = await this.flagForAttention(payment.id, moneyTaken ? `bank mismatch: ${why}` : why, source, {
            data: { ...options.data, bank: reply.transaction?.statusName },
            mismatch: moneyTaken,
          });
          return { kind: 'applied', payment: flagged.payment, changed: false, refused: true };
        }
        const mismatch = await this.compareLedger(result.payment, reply, options.ledgerBefore);
        if (mismatch) {
          this.logger.error({ paymentId: payment.id }, mismatch);
          const flagged = await this.flagForAttention(payment.id, mismatch, source, {
            data: {
              ...options.data,
              bank: { statusName: reply.transaction?.statusName, amount: reply.transaction?.amountMinor },
            },
            mismatch: true,
          });
          return { kind: 'applied', payment: flagged.payment, changed: result.changed };
        }
        return { kind: 'applied', payment: result.payment, changed: result.changed, refused: result.refused };
      }
    }
  }

  private async compareLedger(
    payment: PaymentEntity,
    reply: EpayStatusReply,
    before: LedgerSnapshot | undefined,
  ): Promise<string | null> {
    if (!this.ledger || reply.resultCode !== 100 || !reply.transaction) return null;
    const after = await this.ledger(payment.id);
    return bankLedgerMismatch(payment.capturedAmount, reply.transaction, before ?? after, after);
  }

  // Flags a payment for a human (once): needs_attention + reason, a payment_events row and a
  // payment.needs_attention domain event, all in one transaction under the row lock.
  async flagForAttention(
    paymentId: string,
    reason: string,
    source: PaymentEventSource,
    options: AttentionOptions = {},
  ): Promise<{ payment: PaymentEntity; flagged: boolean }> {
    return this.state.lockAndUpdate(paymentId, async (payment, m) => {
      const repo = m.getRepository(PaymentEntity);
      const extra = options.extra ?? {};
      if (options.mismatch && payment.attentionReason !== reason.slice(0, 500)) {
        // every new disagreement is told, also on a payment already flagged for something else
        if (payment.needsAttention)
          await m.getRepository(PaymentEventEntity).insert({
            paymentId,
            fromStatus: payment.status,
            toStatus: payment.status,
            source,
            reason: reason.slice(0, 1000),
            data: options.data ?? null,
          });
        await this.events.record(m, {
          type: 'payment.bank_mismatch',
          aggregateType: 'payment',
          aggregateId: paymentId,
          data: { ...PaymentResponseDto.from(payment, this.config.publicBaseUrl), mismatch: reason },
        });
      }
      if (payment.needsAttention) {
        if (Object.keys(extra).length) {
          await repo.update({ id: paymentId }, extra);
          Object.assign(payment, extra);
        }
        return { payment, flagged: false };
      }
      const now = new Date();
      const update: Partial<PaymentEntity> = {
        ...extra,
        needsAttention: true,
        attentionReason: reason.slice(0, 500),
        updatedAt: now,
      };
      await repo.update({ id: paymentId }, update);
      Object.assign(payment, update);
      await m.getRepository(PaymentEventEntity).insert({
        paymentId,
        fromStatus: payment.status,
        toStatus: payment.status,
        source,
        reason: `needs attention: ${reason}`.slice(0, 1000),
        data: options.data ?? null,
      });
      await this.events.record(m, {
        type: 'payment.needs_attention',
        aggregateType: 'payment',
        aggregateId: paymentId,
        data: {
          ...PaymentResponseDto.from(payment, this.config.publicBaseUrl),
          attentionReason: update.attentionReason,
        },
      });
      return { payment, flagged: true };
    });
  }
}
