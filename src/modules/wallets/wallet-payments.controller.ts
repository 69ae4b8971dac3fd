import { ApiDoc } from '../../common/openapi/api-doc.decorator';
import { Body, Controller, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Capability } from '../../api-keys/access-policy';
import { IssuesClientSecret } from '../../api-keys/client-secret.interceptor';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { Access, CurrentApiKey } from '../../api-keys/auth.decorators';
import { AppConfigService } from '../../config/app-config.service';
import type { IdempotentRequest } from '../idempotency/idempotency.interceptor';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { PaymentResponseDto } from '../payments/dtos/payment-response.dto';
import { ApplePayService } from './apple-pay.service';
import { CreateApplePayPaymentDto } from './dtos/create-apple-pay-payment.dto';
import { CreateGooglePayPaymentDto } from './dtos/create-google-pay-payment.dto';
import { GooglePayService } from './google-pay.service';
import { ApplePayEnabledGuard, GooglePayEnabledGuard } from './wallet-feature.guards';

// Like POST /v1/payments/card: 201 with the payment whatever the bank said (failed, requires_3ds with
// nextAction, unknown until reconciled).
@ApiTags('payments')
@Controller('v1/payments')
export class WalletPaymentsController {
  constructor(
    private readonly googlePay: GooglePayService,
    private readonly applePay: ApplePayService,
    private readonly config: AppConfigService,
  ) {}

  @Access(Capability.START_PAYMENTS, { account: 'body' })
  @IssuesClientSecret('payment')
  @UseGuards(GooglePayEnabledGuard)
  @Idempotent()
  @ApiDoc(
    'Pay with Google Pay',
    "The PaymentData from Google's loadPaymentData, sent to ePay as `paymentType: googlePay`. Same answers as a card payment.",
    [409, 422, 502, 503],
  )
  @Post('google-pay')
  async payWithGooglePay(
    @Body() dto: CreateGooglePayPaymentDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
    @Req() req: IdempotentRequest,
  ): Promise<PaymentResponseDto> {
    return PaymentResponseDto.from(
      await this.googlePay.pay(dto, apiKey, req.idempotencyRecordId),
      this.config.publicBaseUrl,
    );
  }

  @Access(Capability.START_PAYMENTS, { account: 'body' })
  @IssuesClientSecret('payment')
  @UseGuards(ApplePayEnabledGuard)
  @Idempotent()
  @ApiDoc(
    'Pay with Apple Pay',
    'The Apple Pay payment (token or decrypted data, per APPLE_PAY_VARIANT). Off unless APPLE_PAY_ENABLED. Same answers as a card payment.',
    [404, 409, 422, 502, 503],
  )
  @Post('apple-pay')
  async payWithApplePay(
    @Body() dto: CreateApplePayPaymentDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
    @Req() req: IdempotentRequest,
  ): Promise<PaymentResponseDto> {
    return PaymentResponseDto.from(
      await this.applePay.pay(dto, apiKey, req.idempotencyRecordId),
      this.config.publicBaseUrl,
    );
  }
}
