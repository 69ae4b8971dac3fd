import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { AppException, ErrorDetail } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { luhnValid, maskPan } from '../../common/logging/redact.util';
import { checkedReturnUrls, returnUrlPolicy } from '../../common/http/return-url.util';
import { AppConfigService } from '../../config/app-config.service';
import { reasonMessage } from '../../gateway/constants/epay-reason-codes.constant';
import type { EpayP2pReply } from '../../gateway/gateway-api.types';
import { GatewayException } from '../../gateway/gateway.exception';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { EpayTokenService } from '../auth/epay-token.service';
import { normalisePan, validateCard } from '../crypto/card-validation.util';
import { PaymentEventSource, PaymentStatus } from '../payments/payment-status.enum';
import { SavedCardEntity } from '../payments/saved-card.entity';
import { SavedCardsService } from '../payments/saved-cards.service';
import { cardBrand } from '../payments/utils/card-mask.util';
import { CreateTransferDto } from './dtos/create-transfer.dto';
import { TransferStateService } from './transfer-state.service';
import { TransferStatusChecker } from './transfer-status-checker.service';
import type { TransferEntity } from './transfer.entity';
import { TransfersRepository } from './transfers.repository';
import { buildTransferBody, TransferReceiverInput, TransferSenderInput } from './utils/transfer-body.util';
import { decideFromCallError, decideFromTransferReply } from './utils/transfer-outcome.util';

interface Parties {
  sender: TransferSenderInput;
  receiver: TransferReceiverInput;
  senderSaved?: SavedCardEntity;
  receiverSaved?: SavedCardEntity;
}

// P2P card-to-card transfers (S3, API.md §11), the way payments go: commit the row, get the
// transfer-scope token bound to the order, make exactly one money-moving call, and turn what happened
// into a state (a clear answer settles it, anything ambiguous is unknown until a status check).
@Injectable()
export class TransfersService {
  private readonly logger = new Logger(TransfersService.name);

  constructor(
    private readonly transfers: TransfersRepository,
    private readonly state: TransferStateService,
    private readonly checker: TransferStatusChecker,
    private readonly tokens: EpayTokenService,
    private readonly homebank: HomebankHttpService,
    private readonly savedCards: SavedCardsService,
    private readonly config: AppConfigService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async create(
    dto: CreateTransferDto,
    apiKey: AuthenticatedApiKey,
    idempotencyRecordId?: string,
  ): Promise<TransferEntity> {
    // everything about the cards is checked before anything is stored or sent
    const returnUrls = checkedReturnUrls(dto, returnUrlPolicy(this.config));
    const parties = await this.resolveParties(dto);
    const currency = dto.currency.trim();
    const transfer = await this.transfers.create(
      {
        requestedOrderId: dto.orderId,
        amount: dto.amount,
        currency,
        description: dto.description,
        accountId: dto.accountId,
        senderEmail: dto.email ?? null,
        ...returnUrls,
        metadata: dto.metadata ?? null,
        saveSenderCard: parties.sender.kind === 'pan' && parties.sender.save,
        senderTransferType: parties.sender.kind === 'pan' ? 'TYPEPAN' : 'TYPECARDID',
        // first six and last four are the most PCI DSS lets us keep
        senderCardMask:
          parties.sender.kind === 'pan' ? maskPan(parties.sender.pan) : (parties.senderSaved?.cardMask ?? null),
        senderCardType:
          parties.sender.kind === 'pan' ? cardBrand(parties.sender.pan) : (parties.senderSaved?.cardType ?? null),
        senderSavedCardId: parties.senderSaved?.id ?? null,
        receiverTransferType: parties.receiver.kind === 'pan' ? 'TYPEPAN' : 'TYPECARDID',
        receiverCardMask:
          parties.receiver.kind === 'pan' ? maskPan(parties.receiver.pan) : (parties.receiverSaved?.cardMask ?? null),
        receiverCardType:
          parties.receiver.kind === 'pan' ? cardBrand(parties.receiver.pan) : (parties.receiverSaved?.cardType ?? null),
        receiverSavedCardId: parties.receiverSaved?.id ?? null,
        apiKeyId: apiKey.id,
        createdByKind: apiKey.kind,
      },
      idempotencyRecordId,
    );
    const link = { transferId: transfer.id };

    let token: string;
    try {
      token = await this.tokens.transferToken({
        invoiceId: transfer.orderId,
        amountMinor: transfer.amount,
        currency,
        link,
      });
    } catch (err) {
      // no token, no transfer: the bank cannot have moved money
      const gateway = err instanceof GatewayException ? err : undefined;
      if (!gateway)
        this.logger.error(
          { transferId: transfer.id, err: (err as Error)?.message },
          'could not obtain a transfer token',
        );
      return (
        await this.state.transition(transfer.id, {
          to: PaymentStatus.FAILED,
          source: PaymentEventSource.API,
          reason: `could not obtain a transfer token${gateway ? `: ${gateway.failure}` : ''}`,
          patch: {
            failureCode: gateway?.bankCode !== undefined ? `epay_${gateway.bankCode}` : (gateway?.code ?? 'INTERNAL'),
            failureMessage:
              gateway?.bankCode !== undefined ? reasonMessage(gateway.bankCode) : 'could not obtain a transfer token',
          },
        })
      ).transfer;
    }

    const body = buildTransferBody({
      orderId: transfer.orderId,
      amountMinor: transfer.amount,
      currency,
      description: transfer.description,
      accountId: transfer.accountId,
      email: transfer.senderEmail,
      terminalId: this.homebank.terminalId,
      backLink: transfer.backLink,
      failureBackLink: transfer.failureBackLink,
      sender: parties.sender,
      receiver: parties.receiver,
    });
    let reply: EpayP2pReply;
    try {
      reply = await this.homebank.p2pTransfer(token, body, currency, link, this.config.get('P2P_TRANSFER_PATH'));
    } catch (err) {
      return this.afterCallError(transfer, err);
    }
    return this.afterReply(transfer, reply);
  }

  // One status check, best effort: if it fails the poller will do it.
  async checkNow(transfer: TransferEntity, source: PaymentEventSource): Promise<TransferEntity> {
    try {
      return (await this.checker.check(transfer, source)).transfer;
    } catch (err) {
      this.logger.warn(
        { transferId: transfer.id, err: (err as Error).message },
        'immediate transfer status check failed; the poller will retry',
      );
      return this.transfers.get(transfer.id);
    }
  }

  private async afterReply(transfer: TransferEntity, reply: EpayP2pReply): Promise<TransferEntity> {
    const decision = decideFromTransferReply(transfer, reply);
    if (decision.kind === 'attention') {
      // the bank did something, but not what we asked: hold it as unknown (reconciled) for a human
      this.logger.error({ transferId: transfer.id }, `transfer reply disagrees: ${decision.reason}`);
      return (
        await this.state.transition(transfer.id, {
          to: PaymentStatus.UNKNOWN,
          source: PaymentEventSource.API,
          reason: decision.reason,
          patch: { ...decision.patch, needsAttention: true, attentionReason: decision.reason },
        })
      ).transfer;
    }
    const { to, reason, patch } = decision;
    const savedBankCardId =
      to === PaymentStatus.CHARGED && transfer.saveSenderCard ? decision.savedSenderCardId : undefined;
    const result = await this.dataSource.transaction(async (m) => {
      // the saved card and the success it came with commit together
      const savedCardId = savedBankCardId
        ? await this.rememberSenderCard(m, transfer, savedBankCardId, patch)
        : undefined;
      return this.state.transition(
        transfer.id,
        {
          to,
          source: PaymentEventSource.API,
          reason,
          patch: savedCardId ? { ...patch, senderSavedCardId: savedCardId } : patch,
        },
        m,
      );
    });
    return decision.checkNow ? this.checkNow(result.transfer, PaymentEventSource.API) : result.transfer;
  }

  private async afterCallError(transfer: TransferEntity, err: unknown): Promise<TransferEntity> {
    if (!(err instanceof GatewayException)) {
      // our own bug after the call may have left: unknown, the poller finds the truth
      this.logger.error(
        { transferId: transfer.id, err: (err as Error)?.message },
        'unexpected error around the transfer call',
      );
    }
    const { to, reason, patch } = decideFromCallError(err);
    return (await this.state.transition(transfer.id, { to, source: PaymentEventSource.API, reason, patch })).transfer;
  }

  // The bank returns the same cardID for the same card and account: one saved_cards row per cardID.
  private async rememberSenderCard(
    m: EntityManager,
    transfer: TransferEntity,
    epayCardId: string,
    patch: { senderCardMask?: string | null; senderCardType?: string | null },
  ): Promise<string | undefined> {
    await m
      .createQueryBuilder()
      .insert()
      .into(SavedCardEntity)
      .values({
        accountId: transfer.accountId,
        epayCardId,
        cardMask: patch.senderCardMask ?? transfer.senderCardMask,
        cardType: patch.senderCardType ?? transfer.senderCardType,
        issuer: null,
        paymentId: null,
        createdByKind: transfer.createdByKind,
        createdByKeyId: transfer.apiKeyId,
        deactivatedAt: null,
      })
      .orIgnore()
      .execute();
    const card = await m.getRepository(SavedCardEntity).findOneByOrFail({ epayCardId });
    if (card.accountId !== transfer.accountId) {
      // never hand one customer's saved card to another
      this.logger.error(
        { transferId: transfer.id, cardId: card.id },
        'ePay returned a cardID already saved for another account',
      );
      return undefined;
    }
    return card.id;
  }

  private async resolveParties(dto: CreateTransferDto): Promise<Parties> {
    const { sender, receiver } = dto;
    const shape: ErrorDetail[] = [];
    if (!sender.card === !sender.cardId) shape.push({ field: 'sender', message: 'give exactly one of card or cardId' });
    if (!receiver.card === !receiver.cardId)
      shape.push({ field: 'receiver', message: 'give exactly one of card or cardId' });
    if (sender.save && !sender.card)
      shape.push({ field: 'sender.save', message: 'only a card given by number can be saved' });
    if (sender.cardId && sender.cardId === receiver.cardId)
      shape.push({ field: 'receiver.cardId', message: 'must differ from the sender card' });
    if (sender.card && receiver.card && normalisePan(sender.card.number) === normalisePan(receiver.card.number)) {
      shape.push({ field: 'receiver.card.number', message: 'must differ from the sender card' });
    }
    if (shape.length)
      throw new AppException(
        ErrorCode.VALIDATION_FAILED,
        `Invalid request: ${shape.map((d) => d.field).join(', ')}`,
        shape,
      );

    const cardErrors: ErrorDetail[] = [];
    if (sender.card) {
      const allowDocumentedTestCards = this.config.get('EPAY_ENV') !== 'prod';
      cardErrors.push(
        ...validateCard(sender.card, { allowDocumentedTestCards }).map((e) => ({ ...e, field: `sender.${e.field}` })),
      );
    }
    if (receiver.card && !luhnValid(normalisePan(receiver.card.number))) {
      cardErrors.push({ field: 'receiver.card.number', message: 'card number fails the Luhn check' });
    }
    if (cardErrors.length) {
      throw new AppException(
        ErrorCode.INVALID_CARD,
        `Invalid card: ${[...new Set(cardErrors.map((e) => e.field))].join(', ')}`,
        cardErrors,
      );
    }

    // saved cards are ours to name and must belong to accountId, on both sides
    const senderSaved = sender.cardId ? await this.savedCard(sender.cardId, dto.accountId, 'sender.cardId') : undefined;
    const receiverSaved = receiver.cardId
      ? await this.savedCard(receiver.cardId, dto.accountId, 'receiver.cardId')
      : undefined;
    return {
      sender: sender.card
        ? {
            kind: 'pan',
            pan: normalisePan(sender.card.number),
            expMonth: sender.card.expMonth,
            expYear: sender.card.expYear,
            cvc: sender.card.cvc,
            name: sender.card.holder,
            save: sender.save ?? false,
          }
        : { kind: 'card_id', epayCardId: senderSaved!.epayCardId },
      receiver: receiver.card
        ? { kind: 'pan', pan: normalisePan(receiver.card.number) }
        : { kind: 'card_id', epayCardId: receiverSaved!.epayCardId },
      senderSaved,
      receiverSaved,
    };
  }

  private async savedCard(cardId: string, accountId: string, field: string): Promise<SavedCardEntity> {
    try {
      return await this.savedCards.getActiveForAccount(cardId, accountId);
    } catch (err) {
      if (err instanceof AppException && err.code === ErrorCode.CARD_NOT_FOUND) {
        throw new AppException(ErrorCode.CARD_NOT_FOUND, 'No active saved card with this id for this account', [
          { field, message: 'not found for accountId' },
        ]);
      }
      throw err;
    }
  }
}
