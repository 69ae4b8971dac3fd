import { Injectable } from '@nestjs/common';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';
import { GatewayEndpointsService } from '../../gateway/gateway-endpoints.service';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentFlowService } from '../payments/payment-flow.service';
import { PaymentMethod } from '../payments/payment-status.enum';
import { CreateGooglePayPaymentDto } from './dtos/create-google-pay-payment.dto';
import { GooglePayConfigResponseDto } from './dtos/google-pay-config-response.dto';
import { buildGooglePayBody } from './utils/google-pay-body.util';

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

// Google Pay through ePay's gateway tokenization (S0): the frontend gets an encrypted token for our
// gateway id, we pass it to /payment/cryptopay with paymentType googlePay. A payment like any other:
// the shared flow, state machine and 3-D Secure pages.
@Injectable()
export class GooglePayService {
  constructor(
    private readonly flow: PaymentFlowService,
    private readonly homebank: HomebankHttpService,
    private readonly endpoints: GatewayEndpointsService,
    private readonly config: AppConfigService,
  ) {}

  get environment(): 'TEST' | 'PRODUCTION' {
    // the same default env.validation applies when it requires GOOGLE_PAY_MERCHANT_ID
    return (
      this.config.get('GOOGLE_PAY_ENVIRONMENT') ?? (this.config.get('EPAY_ENV') === 'prod' ? 'PRODUCTION' : 'TEST')
    );
  }

  get cardNetworks(): string[] {
    return list(this.config.get('GOOGLE_PAY_CARD_NETWORKS')).map((n) => n.toUpperCase());
  }

  clientConfig(): GooglePayConfigResponseDto {
    const merchantId = this.config.get('GOOGLE_PAY_MERCHANT_ID');
    const merchantName = this.config.get('GOOGLE_PAY_MERCHANT_NAME');
    return {
      environment: this.environment,
      apiVersion: 2,
      apiVersionMinor: 0,
      merchantInfo: { ...(merchantId ? { merchantId } : {}), ...(merchantName ? { merchantName } : {}) },
      allowedPaymentMethods: [
        {
          type: 'CARD',
          parameters: {
            allowedAuthMethods: list(this.config.get('GOOGLE_PAY_AUTH_METHODS')).map((m) => m.toUpperCase()),
            allowedCardNetworks: this.cardNetworks,
          },
          tokenizationSpecification: {
            type: 'PAYMENT_GATEWAY',
            parameters: {
              gateway: this.config.get('GOOGLE_PAY_GATEWAY'),
              gatewayMerchantId: this.config.get('GOOGLE_PAY_GATEWAY_MERCHANT_ID') ?? this.endpoints.terminalId,
            },
          },
        },
      ],
    };
  }

  async pay(
    dto: CreateGooglePayPaymentDto,
    apiKey: AuthenticatedApiKey,
    idempotencyRecordId?: string,
  ): Promise<PaymentEntity> {
    const info = dto.paymentData.paymentMethodData.info;
    if (!this.cardNetworks.includes(info.cardNetwork)) {
      throw new AppException(
        ErrorCode.VALIDATION_FAILED,
        'Invalid request: paymentData.paymentMethodData.info.cardNetwork',
        [
          {
            field: 'paymentData.paymentMethodData.info.cardNetwork',
            message: `must be one of ${this.cardNetworks.join(', ')}`,
          },
        ],
      );
    }
    return this.flow.execute(
      {
        ...this.flow.draft(dto, apiKey, PaymentMethod.GOOGLE_PAY),
        payerName: dto.name ?? billingName(info.billingAddress),
        saveCard: false,
        // all Google tells us about the card; the bank's reply may add its own mask
        cardType: info.cardNetwork,
        cardLast4: info.cardDetails,
      },
      idempotencyRecordId,
      ({ token, commonBody, payment }) =>
        this.homebank.cryptopay(token, buildGooglePayBody(commonBody, dto.paymentData), payment.currency.trim(), {
          paymentId: payment.id,
        }),
    );
  }
}

// Google's billing address carries the card holder's name when the page asked for it
function billingName(address: Record<string, unknown> | undefined): string | null {
  const name = address?.name;
  return typeof name === 'string' && name.trim() ? name.trim().slice(0, 100) : null;
}
