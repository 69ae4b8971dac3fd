import { Injectable } from '@nestjs/common';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { AppException } from '../../common/errors/app.exception';
import { maskPan } from '../../common/logging/redact.util';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { GatewayException } from '../../gateway/gateway.exception';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { CryptogramService } from '../crypto/cryptogram.service';
import { EpayPublicKeyService } from '../crypto/epay-public-key.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentFlowService } from '../payments/payment-flow.service';
import { PaymentMethod } from '../payments/payment-status.enum';
import { SavedCardsService } from '../payments/saved-cards.service';
import { cardBrand, last4FromMask } from '../payments/utils/card-mask.util';
import { CreateCardPaymentDto } from './dtos/create-card-payment.dto';
import { CreateSavedCardPaymentDto } from './dtos/create-saved-card-payment.dto';

// A bank reply that says it could not read our cryptogram: the key may have rotated (sandbox code
// 1002; the real code is undocumented, so the message is looked at too).
function isDecryptFailure(err: unknown): boolean {
  return (
    err instanceof GatewayException &&
    err.failure === 'rejected' &&
    (err.bankCode === 1002 ||
      /crypt|decod|rsa/i.test(String((err.details_ as { bankMessage?: string }).bankMessage ?? '')))
  );
}

@Injectable()
export class CardPaymentsService {
  constructor(
    private readonly flow: PaymentFlowService,
    private readonly homebank: HomebankHttpService,
    private readonly cryptograms: CryptogramService,
    private readonly publicKeys: EpayPublicKeyService,
    private readonly savedCards: SavedCardsService,
  ) {}

  async payWithCard(
    dto: CreateCardPaymentDto,
    apiKey: AuthenticatedApiKey,
    idempotencyRecordId?: string,
  ): Promise<PaymentEntity> {
    if (!dto.card === !dto.cryptogram) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: card', [
        { field: 'card', message: 'give exactly one of card or cryptogram' },
      ]);
    }
    // validated and encrypted before anything is stored: a bad card never creates a payment
    const cryptogram = dto.card ? await this.cryptograms.forCard(dto.card) : dto.cryptogram!;
    const name = dto.name ?? dto.card?.holder;
    // first six and last four are the most PCI DSS lets us keep; the bank's reply often has no mask
    const cardMask = dto.card ? maskPan(dto.card.number) : null;
    return this.flow.execute(
      {
        ...this.flow.draft(dto, apiKey, PaymentMethod.CARD),
        payerName: name ?? null,
        saveCard: dto.saveCard ?? false,
        cardMask,
        cardLast4: last4FromMask(cardMask),
        cardType: dto.card ? cardBrand(dto.card.number) : null,
      },
      idempotencyRecordId,
      async ({ token, commonBody, payment }) => {
        try {
          return await this.homebank.cryptopay(token, { ...commonBody, name, cryptogram }, payment.currency.trim(), {
            paymentId: payment.id,
          });
        } catch (err) {
          if (isDecryptFailure(err)) await this.publicKeys.refreshAfterDecryptFailure();
          throw err;
        }
      },
    );
  }

  async payWithSavedCard(
    dto: CreateSavedCardPaymentDto,
    apiKey: AuthenticatedApiKey,
    idempotencyRecordId?: string,
  ): Promise<PaymentEntity> {
    const card = await this.savedCards.getActiveForAccount(dto.cardId, dto.accountId);
    return this.flow.execute(
      {
        ...this.flow.draft(dto, apiKey, PaymentMethod.SAVED_CARD),
        payerName: dto.name ?? null,
        savedCardId: card.id,
        cardMask: card.cardMask,
        cardLast4: last4FromMask(card.cardMask),
        cardType: card.cardType,
        issuer: card.issuer,
      },
      idempotencyRecordId,
      ({ token, commonBody, payment }) =>
        this.homebank.cardIdPayment(
          token,
          // API.md §5: paymentType cardId with the bank's cardID; no cardSave on a saved card
          { ...commonBody, cardSave: undefined, paymentType: 'cardId', cardId: { id: card.epayCardId } },
          payment.currency.trim(),
          { paymentId: payment.id },
        ),
    );
  }
}
