import { Injectable } from '@nestjs/common';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';
import { TransferResponseDto } from '../p2p/dtos/transfer-response.dto';
import { TransferStateService } from '../p2p/transfer-state.service';
import { TransfersRepository } from '../p2p/transfers.repository';
import { PaymentEventSource, PaymentStatus } from '../payments/payment-status.enum';
import { POLLABLE_PAYMENT_STATUSES } from '../status/utils/reconciliation-schedule.util';
import { ResolveOutcomeDto } from './dtos/resolve-outcome.dto';
import { inFlightGraceMs } from './refunds.service';

// POST /v1/admin/transfers/:id/resolve: a person's verdict on a P2P transfer the bank's status could
// not settle (it is never sent again). Applied through the transfer state machine with the operator
// as actor and the reason in the transfer's events.
@Injectable()
export class TransferResolutionService {
  private readonly graceMs: number;

  constructor(
    private readonly transfers: TransfersRepository,
    private readonly state: TransferStateService,
    config: AppConfigService,
  ) {
    this.graceMs = inFlightGraceMs(config.get('EPAY_TIMEOUT_MS'));
  }

  async resolve(transferId: string, dto: ResolveOutcomeDto, actor: AuthenticatedApiKey): Promise<TransferResponseDto> {
    const transfer = await this.transfers.repo.findOne({ where: { id: transferId } });
    if (!transfer) throw new AppException(ErrorCode.TRANSFER_NOT_FOUND, 'Transfer not found');
    if (!POLLABLE_PAYMENT_STATUSES.includes(transfer.status) || transfer.status === PaymentStatus.AUTHORIZED) {
      throw new AppException(
        ErrorCode.OPERATION_NOT_ALLOWED,
        `Transfer is ${transfer.status}; only an unsettled one can be resolved`,
        { status: transfer.status },
      );
    }
    if (Date.now() - transfer.createdAt.getTime() < this.graceMs) {
      throw new AppException(ErrorCode.OPERATION_NOT_ALLOWED, 'Transfer may still be in flight; wait for it', {
        status: transfer.status,
      });
    }
    const reason = dto.reason.trim();
    const to = dto.outcome === 'succeeded' ? PaymentStatus.CHARGED : PaymentStatus.FAILED;
    const result = await this.state.transition(transferId, {
      to,
      source: PaymentEventSource.ADMIN,
      actor: actor.id,
      reason: `transfer.resolved: ${reason}`.slice(0, 1000),
      data: { action: 'transfer.resolved', outcome: dto.outcome },
      patch:
        to === PaymentStatus.FAILED
          ? { failureCode: 'resolved_failed', failureMessage: `Resolved as not transferred by an operator: ${reason}` }
          : { failureCode: null, failureMessage: null },
    });
    if (result.refused) {
      throw new AppException(ErrorCode.ILLEGAL_STATE_TRANSITION, `Transfer is ${result.from}; it cannot become ${to}`);
    }
    return TransferResponseDto.from(result.transfer);
  }
}
