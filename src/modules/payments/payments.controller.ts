import { ApiDoc } from '../../common/openapi/api-doc.decorator';
import { Controller, Delete, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Capability } from '../../api-keys/access-policy';
import { Access } from '../../api-keys/auth.decorators';
import { AppConfigService } from '../../config/app-config.service';
import { GetPaymentQueryDto } from './dtos/get-payment-query.dto';
import { PaymentResponseDto } from './dtos/payment-response.dto';
import { SavedCardResponseDto } from './dtos/saved-card-response.dto';
import { PaymentFlowService } from './payment-flow.service';
import { PaymentEventSource } from './payment-status.enum';
import { PaymentsRepository } from './payments.repository';
import { SavedCardsService } from './saved-cards.service';
import { isFinal } from './payment-state-machine';

@ApiTags('payments')
@Controller('v1')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly flow: PaymentFlowService,
    private readonly savedCards: SavedCardsService,
    private readonly config: AppConfigService,
  ) {}

  @Access([Capability.READ_ANY_PAYMENT, Capability.READ_OWN_PAYMENT], { ownResource: 'payment' })
  @ApiDoc(
    'Read a payment',
    'Secret and admin keys read any payment; publishable keys and customer sessions only the one whose `clientSecret` they send in `X-Client-Secret`. `refresh=true` asks the bank now when the payment is not final.',
    [404, 502, 503],
  )
  @Get('payments/:id')
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: GetPaymentQueryDto,
  ): Promise<PaymentResponseDto> {
    let payment = await this.payments.get(id);
    if (query.refresh && !isFinal(payment.status))
      payment = await this.flow.checkNow(payment, PaymentEventSource.STATUS_CHECK);
    return PaymentResponseDto.from(payment, this.config.publicBaseUrl);
  }

  @Access([Capability.USE_SAVED_CARDS, Capability.ADMIN_READ], { account: 'params' })
  @ApiDoc(
    'List saved cards',
    'The active cards saved for an account. Secret keys, admin keys, or a customer session for its own account.',
  )
  @Get('accounts/:accountId/cards')
  async listCards(@Param('accountId') accountId: string): Promise<SavedCardResponseDto[]> {
    return (await this.savedCards.listActive(accountId)).map(SavedCardResponseDto.from);
  }

  @Access(Capability.DELETE_SAVED_CARDS, { account: 'params' })
  @ApiDoc(
    'Delete a saved card',
    'Deactivates the card at ePay, then here. Secret keys, admin operators, or a customer session for its own account.',
    [404, 502, 503],
  )
  @Delete('accounts/:accountId/cards/:cardId')
  async deactivateCard(
    @Param('accountId') accountId: string,
    @Param('cardId', new ParseUUIDPipe()) cardId: string,
  ): Promise<SavedCardResponseDto> {
    return SavedCardResponseDto.from(await this.savedCards.deactivate(accountId, cardId));
  }
}
