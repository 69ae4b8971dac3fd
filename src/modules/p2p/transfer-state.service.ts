import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainEvents } from '../../common/events/domain-events.service';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { MetricsService } from '../../metrics/metrics.service';
import { CheckScheduleService } from '../payments/check-schedule.service';
import { canTransition, isFinal } from '../payments/payment-state-machine';
import { PaymentEventSource, PaymentStatus } from '../payments/payment-status.enum';
import { TransferResponseDto } from './dtos/transfer-response.dto';
import { TransferEntity, TransferStatus } from './transfer.entity';
import { TransferEventEntity } from './transfer-event.entity';
import type { TransferPatch } from './utils/transfer-outcome.util';

export interface TransferTransitionRequest {
  to: TransferStatus;
  source: PaymentEventSource;
  reason?: string;
  patch?: TransferPatch;
  data?: Record<string, unknown>;
  // API key id of an operator who decided it
  actor?: string;
}

export interface TransferTransitionResult {
  transfer: TransferEntity;
  from: TransferStatus;
  changed: boolean;
  refused: boolean;
}

// Domain events the outbox hears about, emitted in the transaction of the change.
const EVENT_FOR: Partial<Record<TransferStatus, string>> = {
  [PaymentStatus.CHARGED]: 'transfer.succeeded',
  [PaymentStatus.FAILED]: 'transfer.failed',
};

// The one owner of transfer status changes, on the payment state machine: row lock, legality check,
// event row, domain event and poller schedule in one transaction (the twin of PaymentStateService).
@Injectable()
export class TransferStateService {
  private readonly logger = new Logger(TransferStateService.name);
  private readonly transitions;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly schedule: CheckScheduleService,
    private readonly events: DomainEvents,
    metrics: MetricsService,
  ) {
    this.transitions = metrics.counter('transfer_transitions_total', 'Transfer status changes', [
      'from',
      'to',
      'source',
      'result',
    ]);
  }

  async transition(
    transferId: string,
    req: TransferTransitionRequest,
    manager?: EntityManager,
  ): Promise<TransferTransitionResult> {
    const run = (m: EntityManager) => this.transitionLocked(m, transferId, req);
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  async lock(manager: EntityManager, transferId: string): Promise<TransferEntity> {
    const transfer = await manager
      .getRepository(TransferEntity)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = :id', { id: transferId })
      .getOne();
    if (!transfer) throw new AppException(ErrorCode.TRANSFER_NOT_FOUND, 'Transfer not found');
    return transfer;
  }

  // Flags a transfer for a human (once), with an event row, under the row lock.
  async flagForAttention(
    transferId: string,
    reason: string,
    source: PaymentEventSource,
    extra: Partial<Pick<TransferEntity, 'nextCheckAt' | 'leaseUntil' | 'lastCheckedAt' | 'checkAttempts'>> &
      TransferPatch = {},
  ): Promise<TransferEntity> {
    return this.dataSource.transaction(async (m) => {
      const transfer = await this.lock(m, transferId);
      const update: Partial<TransferEntity> = { ...extra, updatedAt: new Date() };
      if (!transfer.needsAttention)
        Object.assign(update, { needsAttention: true, attentionReason: reason.slice(0, 500) });
      await m.getRepository(TransferEntity).update({ id: transferId }, update);
      if (!transfer.needsAttention) {
        await m.getRepository(TransferEventEntity).insert({
          transferId,
          fromStatus: transfer.status,
          toStatus: transfer.status,
          source,
          reason: `needs attention: ${reason}`.slice(0, 1000),
        });
      }
      return Object.assign(transfer, update);
    });
  }

  private async transitionLocked(
    m: EntityManager,
    transferId: string,
    req: TransferTransitionRequest,
  ): Promise<TransferTransitionResult> {
    const transfer = await this.lock(m, transferId);
    const from = transfer.status;
    const repo = m.getRepository(TransferEntity);

    if (from === req.to) {
      if (req.patch && Object.keys(req.patch).length) {
        Object.assign(transfer, req.patch);
        await repo.update({ id: transferId }, req.patch);
      }
      return { transfer, from, changed: false, refused: false };
    }
    if (!canTransition(from, req.to)) {
      this.transitions.inc({ from, to: req.to, source: req.source, result: 'refused' });
      this.logger.warn({ transferId, from, to: req.to, source: req.source }, 'refused illegal transfer transition');
      return { transfer, from, changed: false, refused: true };
    }

    const now = new Date();
    const update: Partial<TransferEntity> = {
      // a transfer that succeeded has no failure (an earlier timeout stays in its events)
      ...(req.to === PaymentStatus.CHARGED ? { failureCode: null, failureMessage: null } : {}),
      ...req.patch,
      status: req.to,
      nextCheckAt: this.schedule.next(req.to, 0, now),
      checkAttempts: 0,
      leaseUntil: null,
      updatedAt: now,
      ...(isFinal(req.to) ? { finalizedAt: now } : {}),
    };
    await repo.update({ id: transferId }, update);
    Object.assign(transfer, update);
    await m.getRepository(TransferEventEntity).insert({
      transferId,
      fromStatus: from,
      toStatus: req.to,
      source: req.source,
      reason: req.reason ?? null,
      actor: req.actor ?? null,
      data: req.data ?? null,
    });
    const type = EVENT_FOR[req.to];
    if (type) {
      await this.events.record(m, {
        type,
        aggregateType: 'transfer',
        aggregateId: transferId,
        data: { ...TransferResponseDto.from(transfer) },
      });
    }
    this.transitions.inc({ from, to: req.to, source: req.source, result: 'applied' });
    return { transfer, from, changed: true, refused: false };
  }
}
