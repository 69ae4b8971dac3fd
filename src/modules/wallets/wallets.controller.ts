import { ApiDoc } from '../../common/openapi/api-doc.decorator';
import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Capability } from '../../api-keys/access-policy';
import { Access } from '../../api-keys/auth.decorators';
import { ApplePaySessionService } from './apple-pay-session.service';
import { CreateApplePaySessionDto } from './dtos/create-apple-pay-session.dto';
import { GooglePayConfigResponseDto } from './dtos/google-pay-config-response.dto';
import { GooglePayService } from './google-pay.service';
import { ApplePayEnabledGuard, GooglePayEnabledGuard } from './wallet-feature.guards';

// What a company frontend needs before a wallet payment: Google Pay's configuration, Apple Pay's
// merchant session.
@ApiTags('wallets')
@Controller('v1/wallets')
export class WalletsController {
  constructor(
    private readonly googlePay: GooglePayService,
    private readonly applePaySessions: ApplePaySessionService,
  ) {}

  @Access(Capability.CHECKOUT_CONFIG)
  @UseGuards(GooglePayEnabledGuard)
  @ApiDoc(
    'Google Pay configuration',
    "What a frontend passes to Google's PaymentsClient and loadPaymentData (environment, allowed card networks, gateway and merchant ids).",
  )
  @Get('google-pay/config')
  googlePayConfig(): GooglePayConfigResponseDto {
    return this.googlePay.clientConfig();
  }

  // the opaque merchant session for ApplePaySession.completeMerchantValidation()
  @Access(Capability.CHECKOUT_CONFIG)
  @UseGuards(ApplePayEnabledGuard)
  @HttpCode(200)
  @ApiDoc(
    'Apple Pay merchant validation',
    "Exchanges Apple's `validationUrl` for a merchant session (onvalidatemerchant). Off unless APPLE_PAY_ENABLED.",
    [404, 502],
  )
  @Post('apple-pay/session')
  applePaySession(@Body() dto: CreateApplePaySessionDto): Promise<Record<string, unknown>> {
    return this.applePaySessions.createSession(dto.validationUrl);
  }
}
