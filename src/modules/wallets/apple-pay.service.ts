import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { AppException, ErrorDetail } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { flattenValidationErrors } from '../../common/http/validation.pipe';
import { AppConfigService } from '../../config/app-config.service';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { CryptogramService } from '../crypto/cryptogram.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentFlowService } from '../payments/payment-flow.service';
import { PaymentMethod } from '../payments/payment-status.enum';
import { ApplePaySdkPaymentDto, ApplePaySeedPaymentDto } from './dtos/apple-pay-payment-data.dto';
import { CreateApplePayPaymentDto } from './dtos/create-apple-pay-payment.dto';
import {
  ApplePayDecryptedData,
  appleExpiryToDdMmYy,
  applePayCardInfo,
  applePayCryptogramPayload,
  buildApplePaySdkBody,
  buildApplePaySeedBody,
  ISO_NUMERIC_CURRENCY,
} from './utils/apple-pay-body.util';

function invalid(details: ErrorDetail[]): AppException {
  return new AppException(
    ErrorCode.VALIDATION_FAILED,
    `Invalid request: ${[...new Set(details.map((d) => d.field))].join(', ')}`,
    details,
  );
}

// Apple Pay through /payment/cryptopay, in the shape APPLE_PAY_VARIANT picks (API.md §3, §13):
// seed = S4 (production-only at the bank), sdk = the bank's iOS SDK. The payment itself is the shared flow.
@Injectable()
export class ApplePayService {
  constructor(
    private readonly flow: PaymentFlowService,
    private readonly homebank: HomebankHttpService,
    private readonly cryptograms: CryptogramService,
    private readonly config: AppConfigService,
  ) {}

  async pay(
    dto: CreateApplePayPaymentDto,
    apiKey: AuthenticatedApiKey,
    idempotencyRecordId?: string,
  ): Promise<PaymentEntity> {
    const variant = this.config.get('APPLE_PAY_VARIANT');
    const currency = dto.currency.trim();
    const terminalId = this.homebank.terminalId;
    // everything is checked and the cryptogram built before a payment exists
    let build: (commonBody: Record<string, unknown>) => Record<string, unknown>;
    let method;
    if (variant === 'seed') {
      const data = this.validate(ApplePaySeedPaymentDto, dto.applePay);
      const decrypted = data.decryptedPaymentData;
      const mismatch: ErrorDetail[] = [];
      if (decrypted.transactionAmount !== dto.amount) {
        mismatch.push({
          field: 'applePay.decryptedPaymentData.transactionAmount',
          message: 'must equal amount (the customer authorised that amount)',
        });
      }
      if (decrypted.currencyCode !== ISO_NUMERIC_CURRENCY[currency]) {
        mismatch.push({
          field: 'applePay.decryptedPaymentData.currencyCode',
          message: `must be ${ISO_NUMERIC_CURRENCY[currency]} for ${currency}`,
        });
      }
      if (mismatch.length) throw invalid(mismatch);
      const cryptogram = await this.cryptograms.encrypt(
        applePayCryptogramPayload(appleExpiryToDdMmYy(decrypted.applicationExpirationDate), terminalId),
      );
      // forwarded as the merchant's server produced it (validated above), not as our class instance
      const raw = dto.applePay.decryptedPaymentData as ApplePayDecryptedData;
      build = (common) => buildApplePaySeedBody(common, raw, cryptogram);
      method = data.paymentMethod;
    } else {
      const data = this.validate(ApplePaySdkPaymentDto, dto.applePay);
      // the raw token as the page got it (validated above), not the transformed class instance
      const token = dto.applePay;
      const cryptogram = await this.cryptograms.encrypt(applePayCryptogramPayload('expToken', terminalId));
      build = (common) => buildApplePaySdkBody(common, token, cryptogram);
      method = data.paymentMethod;
    }
    return this.flow.execute(
      { ...this.flow.draft(dto, apiKey, PaymentMethod.APPLE_PAY), saveCard: false, ...applePayCardInfo(method) },
      idempotencyRecordId,
      ({ token, commonBody, payment }) =>
        this.homebank.cryptopay(token, build(commonBody), payment.currency.trim(), { paymentId: payment.id }),
    );
  }

  // The variant is configuration, so its shape is checked here with the global pipe's rules.
  private validate<T extends object>(cls: new () => T, value: Record<string, unknown>): T {
    const instance = plainToInstance(cls, value);
    const errors = validateSync(instance, {
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
    });
    if (errors.length) throw invalid(flattenValidationErrors(errors, 'applePay'));
    return instance;
  }
}
