import { Injectable, Logger } from '@nestjs/common';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import type { EpayStatusReply } from '../../gateway/gateway-api.types';
import { EpayTokenService } from '../auth/epay-token.service';
import { PaymentEventSource } from '../payments/payment-status.enum';
import { interpretStatusReply } from '../status/utils/interpret-status-reply.util';
import { TransferStateService } from './transfer-state.service';
import type { TransferEntity } from './transfer.entity';
import { transferAsStatusSubject, transferPatchFromPaymentPatch } from './utils/transfer-outcome.util';

export type TransferCheckOutcome =
  | { kind: 'applied'; transfer: TransferEntity; changed: boolean }
  | { kind: 'not_final_yet'; transfer: TransferEntity; resultCode: number }
  | { kind: 'config_error'; transfer: TransferEntity; resultCode: number };

// Asks ePay's P2P status endpoint (by order id, API.md §7) and applies the answer through the state
// machine, reading it the way payments are read (interpretStatusReply).
@Injectable()
export class TransferStatusChecker {
  private readonly logger = new Logger(TransferStatusChecker.name);

  constructor(
    private readonly homebank: HomebankHttpService,
    private readonly tokens: EpayTokenService,
    private readonly state: TransferStateService,
  ) {}

  async check(transfer: TransferEntity, source: PaymentEventSource): Promise<TransferCheckOutcome> {
    const reply = await this.tokens.withServiceToken((token) =>
      this.homebank.checkTransferStatus(token, transfer.orderId, { transferId: transfer.id }),
    );
    return this.apply(transfer, reply, source);
  }

  async apply(
    transfer: TransferEntity,
    reply: EpayStatusReply,
    source: PaymentEventSource,
  ): Promise<TransferCheckOutcome> {
    const verdict = interpretStatusReply(transferAsStatusSubject(transfer), reply);
    switch (verdict.kind) {
      case 'wait':
        return { kind: 'not_final_yet', transfer, resultCode: verdict.resultCode };
      case 'config_error':
        this.logger.error(
          { transferId: transfer.id, resultCode: verdict.resultCode },
          `transfer status check refused: ${verdict.reason}`,
        );
        return { kind: 'config_error', transfer, resultCode: verdict.resultCode };
      case 'attention': {
        // never let a disagreeing bank record settle a transfer
        this.logger.error({ transferId: transfer.id }, `transfer status check: ${verdict.reason}`);
        const flagged = await this.state.flagForAttention(transfer.id, verdict.reason, source);
        return { kind: 'applied', transfer: flagged, changed: false };
      }
      case 'settle': {
        const result = await this.state.transition(transfer.id, {
          to: verdict.to,
          source,
          reason: verdict.reason,
          patch: transferPatchFromPaymentPatch(verdict.patch),
        });
        if (result.refused) {
          // e.g. the bank reports a failure for a transfer we hold as charged
          const flagged = await this.state.flagForAttention(
            transfer.id,
            `bank reports ${verdict.to} but the transfer is ${result.from}`,
            source,
          );
          return { kind: 'applied', transfer: flagged, changed: false };
        }
        return { kind: 'applied', transfer: result.transfer, changed: result.changed };
      }
    }
  }
}
