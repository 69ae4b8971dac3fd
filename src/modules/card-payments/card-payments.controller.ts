import { ApiDoc } from '../../common/openapi/api-doc.decorator';
import { Body, Controller, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Capability } from '../../api-keys/access-policy';
import { IssuesClientSecret } from '../../api-keys/client-secret.interceptor';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { Access, CurrentApiKey } from '../../api-keys/auth.decorators';
import { AppConfigService } from '../../config/app-config.service';
import type { IdempotentRequest } from '../idempotency/idempotency.interceptor';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { PaymentResponseDto } from '../payments/dtos/payment-response.dto';
import { CardPaymentsService } from './card-payments.service';
import { CreateCardPaymentDto } from './dtos/create-card-payment.dto';
import { CreateSavedCardPaymentDto } from './dtos/create-saved-card-payment.dto';

@ApiTags('payments')
@Controller('v1/payments')
export class CardPaymentsController {
  constructor(
    private readonly cardPayments: CardPaymentsService,
    private readonly config: AppConfigService,
  ) {}

  // 201 with the payment whatever the bank said: a decline is status "failed", 3-D Secure is
  // status "requires_3ds" with nextAction, an unclear outcome is "unknown" until reconciled.
  @Access(Capability.START_PAYMENTS, { account: 'body', bodyFlags: { saveCard: Capability.USE_SAVED_CARDS } })
  @IssuesClientSecret('payment')
  @Idempotent()
  @ApiDoc(
    'Pay with a new card',
    "Card data in `card` (we build ePay's cryptogram) or a client-built `cryptogram`. Answers 201 with the payment whatever the bank decided: `charged`/`authorized`, `failed` with `failure`, `requires_3ds` with `nextAction.url` (send the browser there) or `unknown` (being confirmed). `saveCard` needs a secret key or a customer session. Send an `Idempotency-Key`.",
    [404, 409, 422, 502, 503],
  )
  @Post('card')
  async payWithCard(
    @Body() dto: CreateCardPaymentDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
    @Req() req: IdempotentRequest,
  ): Promise<PaymentResponseDto> {
    const payment = await this.cardPayments.payWithCard(dto, apiKey, req.idempotencyRecordId);
    return PaymentResponseDto.from(payment, this.config.publicBaseUrl);
  }

  @Access(Capability.USE_SAVED_CARDS, { account: 'body' })
  @IssuesClientSecret('payment')
  @Idempotent()
  @ApiDoc(
    'Pay with a saved card',
    'A card saved for `accountId` (`cardId` from GET /v1/accounts/{accountId}/cards). Secret keys, or a customer session for its own account. Same answers as a card payment.',
    [404, 409, 422, 502, 503],
  )
  @Post('saved-card')
  async payWithSavedCard(
    @Body() dto: CreateSavedCardPaymentDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
    @Req() req: IdempotentRequest,
  ): Promise<PaymentResponseDto> {
    const payment = await this.cardPayments.payWithSavedCard(dto, apiKey, req.idempotencyRecordId);
    return PaymentResponseDto.from(payment, this.config.publicBaseUrl);
  }
}
