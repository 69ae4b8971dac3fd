import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { GatewayException } from '../../gateway/gateway.exception';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { EpayTokenService } from '../auth/epay-token.service';
import { SavedCardEntity } from './saved-card.entity';

@Injectable()
export class SavedCardsService {
  private readonly logger = new Logger(SavedCardsService.name);

  constructor(
    @InjectRepository(SavedCardEntity) private readonly repo: Repository<SavedCardEntity>,
    private readonly homebank: HomebankHttpService,
    private readonly tokens: EpayTokenService,
  ) {}

  // The bank returns the same cardID for the same card and account: keep one row per cardID.
  async remember(input: {
    accountId: string;
    epayCardId: string;
    cardMask: string | null;
    cardType: string | null;
    issuer: string | null;
    paymentId: string;
    createdByKind: string | null;
    createdByKeyId: string | null;
  }): Promise<SavedCardEntity> {
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(SavedCardEntity)
      .values({ ...input, deactivatedAt: null })
      .orIgnore()
      .execute();
    const card = await this.repo.findOneByOrFail({ epayCardId: input.epayCardId });
    if (card.accountId !== input.accountId) {
      // never hand one customer's saved card to another
      this.logger.error({ cardId: card.id }, 'ePay returned a cardID already saved for another account');
    }
    return card;
  }

  listActive(accountId: string): Promise<SavedCardEntity[]> {
    return this.repo.find({ where: { accountId, deactivatedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  async getActiveForAccount(cardId: string, accountId: string): Promise<SavedCardEntity> {
    const card = await this.repo.findOne({ where: { id: cardId, accountId, deactivatedAt: IsNull() } });
    if (!card)
      throw new AppException(ErrorCode.CARD_NOT_FOUND, 'No active saved card with this id for this account', [
        { field: 'cardId', message: 'not found for accountId' },
      ]);
    return card;
  }

  // Deactivate at ePay first, then here: if the bank call fails the card stays usable and listed.
  async deactivate(accountId: string, cardId: string): Promise<SavedCardEntity> {
    const card = await this.getActiveForAccount(cardId, accountId);
    try {
      await this.tokens.withServiceToken((token) => this.homebank.deactivateCard(token, card.epayCardId));
    } catch (err) {
      // already gone at the bank is fine; anything else keeps the card
      if (!(err instanceof GatewayException && err.failure === 'rejected')) throw err;
      this.logger.warn(
        { cardId: card.id, bankCode: err.bankCode },
        'ePay refused to deactivate the card; deactivating locally',
      );
    }
    card.deactivatedAt = new Date();
    await this.repo.update({ id: card.id }, { deactivatedAt: card.deactivatedAt });
    return card;
  }
}
