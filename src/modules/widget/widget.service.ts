import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { AppConfigService } from '../../config/app-config.service';
import { reasonMessage } from '../../gateway/constants/epay-reason-codes.constant';
import { GatewayEndpointsService } from '../../gateway/gateway-endpoints.service';
import { GatewayException } from '../../gateway/gateway.exception';
import { EpayTokenService } from '../auth/epay-token.service';
import { PaymentResponseDto } from '../payments/dtos/payment-response.dto';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentFlowService } from '../payments/payment-flow.service';
import { PaymentStateService } from '../payments/payment-state.service';
import { NOT_FOUND_FINAL_AFTER_MS } from '../payments/payment-status-checker.service';
import { PaymentEventSource, PaymentMethod, PaymentStatus } from '../payments/payment-status.enum';
import { PaymentsRepository } from '../payments/payments.repository';
import { CreateWidgetPaymentDto } from './dtos/create-widget-payment.dto';
import type { WidgetAuthDto, WidgetPaymentResponseDto } from './dtos/widget-payment-response.dto';
import { buildWidgetPaymentObject, widgetAuth } from './utils/widget-payment-object.util';

export interface IssuedWidgetToken {
  auth: WidgetAuthDto;
  expiresAt: string;
}

// Once the token has expired nobody can start paying; a payment started just before may still be on
// its way into the bank's records, as after a timeout (the same window as the status checker's).
export const WIDGET_EXPIRY_GRACE_MS = NOT_FOUND_FINAL_AFTER_MS;

// Statuses in which the customer can (still) pay in the widget.
const PAYABLE = new Set<PaymentStatus>([PaymentStatus.CREATED, PaymentStatus.PENDING]);

// The hosted widget (S1): we create the payment and obtain the invoice-bound token (with this
// payment's secret_hash and our postLinks); the customer pays in the bank's widget; the outcome comes by
// postLink and status checks. No bank payment call happens here.
@Injectable()
export class WidgetService {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly flow: PaymentFlowService,
    private readonly state: PaymentStateService,
    private readonly tokens: EpayTokenService,
    private readonly endpoints: GatewayEndpointsService,
    private readonly config: AppConfigService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  // The answer without the token (it may be stored for idempotent replays); the token separately.
  async create(
    dto: CreateWidgetPaymentDto,
    apiKey: AuthenticatedApiKey,
    idempotencyRecordId?: string,
  ): Promise<{ response: WidgetPaymentResponseDto; issued?: IssuedWidgetToken }> {
    const { secretHash, ...fields } = this.flow.draft(dto, apiKey, PaymentMethod.WIDGET);
    const payment = await this.payments.create({ ...fields, saveCard: false }, idempotencyRecordId);
    let issued: IssuedWidgetToken;
    try {
      issued = await this.issue(payment, secretHash);
    } catch (err) {
      // no token, no way to pay: nothing can have happened at the bank
      const gateway = err instanceof GatewayException ? err : undefined;
      const failed = await this.state.transition(payment.id, {
        to: PaymentStatus.FAILED,
        source: PaymentEventSource.API,
        reason: `could not obtain a widget token${gateway ? `: ${gateway.failure}` : ''}`,
        patch: {
          failureCode: gateway?.bankCode !== undefined ? `epay_${gateway.bankCode}` : (gateway?.code ?? 'INTERNAL'),
          failureMessage:
            gateway?.bankCode !== undefined ? reasonMessage(gateway.bankCode) : 'could not obtain a widget token',
        },
      });
      return { response: this.response(failed.payment) };
    }
    return { response: this.response(await this.payments.get(payment.id)), issued };
  }

  // For a repeated request (idempotent replay): the payment as it is now and, while it can still be
  // paid, a fresh token with a new secret_hash (the old secret was never stored, only its digest).
  async reissue(paymentId: string): Promise<WidgetPaymentResponseDto> {
    const payment = await this.payments.get(paymentId);
    if (!PAYABLE.has(payment.status)) return this.response(payment);
    const { secretHash, secretHashDigest } = this.flow.newCallbackSecrets();
    const issued = await this.issue(payment, secretHash, secretHashDigest);
    const now = await this.payments.get(paymentId);
    return this.withAuth(this.response(now), PAYABLE.has(now.status) ? issued : undefined);
  }

  withAuth(response: WidgetPaymentResponseDto, issued: IssuedWidgetToken | undefined): WidgetPaymentResponseDto {
    if (!issued || !response.paymentObject) return response;
    return {
      ...response,
      paymentObject: { ...response.paymentObject, auth: issued.auth },
      expiresAt: issued.expiresAt,
    };
  }

  response(payment: PaymentEntity): WidgetPaymentResponseDto {
    return {
      payment: PaymentResponseDto.from(payment, this.config.publicBaseUrl),
      scriptUrl: this.endpoints.widgetScriptUrl,
      paymentObject: PAYABLE.has(payment.status)
        ? buildWidgetPaymentObject(payment, this.flow.postLinks(payment), this.endpoints.terminalId)
        : null,
      expiresAt: null,
    };
  }

  // Token first (a network call, outside any transaction), then in one transaction: the new secret's
  // digest, the session's expiry, and created → pending ("waiting for the customer", still polled).
  private async issue(payment: PaymentEntity, secretHash: string, newDigest?: string): Promise<IssuedWidgetToken> {
    const token = await this.tokens.paymentTokenResponse({
      invoiceId: payment.invoiceId,
      amountMinor: payment.amount,
      currency: payment.currency.trim(),
      ...this.flow.postLinks(payment),
      secretHash,
      link: { paymentId: payment.id },
    });
    const expiresAt = new Date(Date.now() + token.expiresInSeconds * 1000);
    await this.dataSource.transaction(async (m) => {
      const locked = await this.state.lock(m, payment.id);
      if (!PAYABLE.has(locked.status)) return;
      if (newDigest) await m.getRepository(PaymentEntity).update({ id: payment.id }, { secretHashDigest: newDigest });
      await this.rememberExpiry(m, payment.id, expiresAt);
      if (locked.status === PaymentStatus.CREATED) {
        await this.state.transition(
          payment.id,
          {
            to: PaymentStatus.PENDING,
            source: PaymentEventSource.API,
            reason: 'widget token issued; waiting for the customer',
          },
          m,
        );
      }
    });
    return { auth: widgetAuth(token), expiresAt: expiresAt.toISOString() };
  }

  // True while the customer's widget token is valid: they can still pay on this invoice.
  async customerMayStillPay(paymentId: string): Promise<boolean> {
    const rows: { open: boolean }[] = await this.dataSource.query(
      `SELECT token_expires_at > now() AS open FROM widget_sessions WHERE payment_id = $1`,
      [paymentId],
    );
    return rows[0]?.open === true;
  }

  private async rememberExpiry(m: EntityManager, paymentId: string, expiresAt: Date): Promise<void> {
    const checkAt = new Date(expiresAt.getTime() + WIDGET_EXPIRY_GRACE_MS);
    // a later token extends the session; an earlier one never shortens it
    await m.query(
      `INSERT INTO widget_sessions (payment_id, token_expires_at, expiry_check_at) VALUES ($1, $2, $3)
       ON CONFLICT (payment_id) DO UPDATE SET
         token_expires_at = GREATEST(widget_sessions.token_expires_at, EXCLUDED.token_expires_at),
         expiry_check_at = GREATEST(widget_sessions.expiry_check_at, EXCLUDED.expiry_check_at),
         updated_at = now()`,
      [paymentId, expiresAt, checkAt],
    );
  }
}
