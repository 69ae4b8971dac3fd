import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AppException } from '../../common/errors/app.exception';
import { outcomePending } from '../../common/errors/outcome-pending.util';
import { minorToGatewayAmount } from '../../common/money/money.util';
import { checkedReturnUrls, returnUrlPolicy } from '../../common/http/return-url.util';
import { AppConfigService } from '../../config/app-config.service';
import { GatewayEndpointsService } from '../../gateway/gateway-endpoints.service';
import { EPAY_NON_FINAL_REASON_CODES, reasonMessage } from '../../gateway/constants/epay-reason-codes.constant';
import { GatewayException, MISCONFIGURED_FAILURE_CODE } from '../../gateway/gateway.exception';
import type { EpayPaymentReply } from '../../gateway/gateway-api.types';
import { EpayTokenService } from '../auth/epay-token.service';
import { PaymentEntity } from './payment.entity';
import { PaymentStateService } from './payment-state.service';
import { PaymentStatusChecker } from './payment-status-checker.service';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import type { PaymentFieldsDto } from './dtos/payment-fields.dto';
import { PaymentEventSource, PaymentMethod, PaymentStatus } from './payment-status.enum';
import { NewPayment, PaymentsRepository } from './payments.repository';
import { SavedCardsService } from './saved-cards.service';
import { gatewayFieldsPatch } from './utils/gateway-fields.util';

export interface PaymentCallContext {
  payment: PaymentEntity;
  // invoice-bound payment token for this payment
  token: string;
  postLink: string;
  failurePostLink: string;
  // fields every ePay payment body carries (S0, S2, API.md §3/§5)
  commonBody: Record<string, unknown>;
}

export type PaymentCall = (ctx: PaymentCallContext) => Promise<EpayPaymentReply>;

// The one payment flow every method (card, saved card, Google Pay, Apple Pay) goes through:
// commit the row, get the invoice-bound token, make exactly one money-moving call, and turn
// whatever happened into a state: a clear answer settles it, anything ambiguous becomes unknown.
@Injectable()
export class PaymentFlowService {
  private readonly logger = new Logger(PaymentFlowService.name);

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly tokens: EpayTokenService,
    private readonly state: PaymentStateService,
    private readonly checker: PaymentStatusChecker,
    private readonly savedCards: SavedCardsService,
    private readonly config: AppConfigService,
    private readonly endpoints: GatewayEndpointsService,
  ) {}

  newCallbackSecrets(): { callbackToken: string; secretHash: string; secretHashDigest: string } {
    const secretHash = randomBytes(24).toString('base64url');
    return {
      callbackToken: randomBytes(24).toString('base64url'),
      secretHash,
      secretHashDigest: createHash('sha256').update(secretHash).digest('hex'),
    };
  }

  // The shared fields of a new payment row from any payment request.
  draft(
    dto: PaymentFieldsDto,
    apiKey: AuthenticatedApiKey,
    method: PaymentMethod,
  ): NewPayment & { secretHash: string } {
    const returnUrls = checkedReturnUrls(dto, returnUrlPolicy(this.config));
    const { secretHash, secretHashDigest, callbackToken } = this.newCallbackSecrets();
    return {
      method,
      amount: dto.amount,
      currency: dto.currency,
      description: dto.description,
      accountId: dto.accountId,
      email: dto.email ?? null,
      phone: dto.phone ?? null,
      payerName: dto.name ?? null,
      language: dto.language ?? null,
      ...returnUrls,
      metadata: dto.metadata ?? null,
      invoiceIdAlt: dto.invoiceIdAlt ?? null,
      requestedInvoiceId: dto.invoiceId,
      callbackToken,
      secretHashDigest,
      secretHash,
      apiKeyId: apiKey.id,
      createdByKind: apiKey.kind,
    };
  }

  postLinks(payment: Pick<PaymentEntity, 'id' | 'callbackToken'>): { postLink: string; failurePostLink: string } {
    const base = this.config.publicBaseUrl;
    const qs = `pid=${payment.id}&token=${payment.callbackToken}`;
    return {
      postLink: `${base}/v1/webhooks/epay/post-link?${qs}`,
      failurePostLink: `${base}/v1/webhooks/epay/failure-post-link?${qs}`,
    };
  }

  commonBody(payment: PaymentEntity, links: { postLink: string; failurePostLink: string }): Record<string, unknown> {
    const currency = payment.currency.trim();
    return {
      amount: minorToGatewayAmount(payment.amount, currency),
      currency,
      // Required (seeds 000, 004): the caller's, the card holder's or wallet's, else the configured default
      name: payment.payerName ?? this.config.get('EPAY_DEFAULT_PAYER_NAME'),
      invoiceId: payment.invoiceId,
      invoiceIdAlt: payment.invoiceIdAlt ?? undefined,
      description: payment.description ?? undefined,
      accountId: payment.accountId ?? '',
      email: payment.email ?? undefined,
      phone: payment.phone ?? undefined,
      backLink: payment.backLink ?? undefined,
      failureBackLink: payment.failureBackLink ?? undefined,
      postLink: links.postLink,
      failurePostLink: links.failurePostLink,
      language: payment.language ?? 'rus',
      terminalId: this.endpoints.terminalId,
      data: payment.metadata ? JSON.stringify(payment.metadata) : undefined,
      cardSave: payment.saveCard,
    };
  }

  async execute(
    input: NewPayment & { secretHash: string },
    idempotencyRecordId: string | undefined,
    call: PaymentCall,
  ): Promise<PaymentEntity> {
    const { secretHash, ...fields } = input;
    const payment = await this.payments.create(fields, idempotencyRecordId);
    try {
      return await this.callAndRecord(payment, secretHash, call);
    } catch (err) {
      // the row exists and the bank may have taken the money, but its answer could not be recorded
      // (e.g. the database went away): the client must not pay again
      if (!(err instanceof AppException))
        this.logger.error(
          { paymentId: payment.id, err: (err as Error)?.message },
          'payment outcome could not be recorded; the poller settles it',
        );
      throw outcomePending(err, 'payment', { paymentId: payment.id });
    }
  }

  private async callAndRecord(payment: PaymentEntity, secretHash: string, call: PaymentCall): Promise<PaymentEntity> {
    const links = this.postLinks(payment);

    let token: string;
    try {
      token = await this.tokens.paymentToken({
        invoiceId: payment.invoiceId,
        amountMinor: payment.amount,
        currency: payment.currency.trim(),
        ...links,
        secretHash,
        link: { paymentId: payment.id },
      });
    } catch (err) {
      // no token, no payment: the bank cannot have moved money
      return this.fail(payment, err, 'could not obtain a payment token');
    }

    let reply: EpayPaymentReply;
    try {
      reply = await call({ payment, token, ...links, commonBody: this.commonBody(payment, links) });
    } catch (err) {
      return this.afterCallError(payment, err);
    }
    return this.afterReply(payment, reply, PaymentEventSource.API);
  }

  // Applies a definite payment reply (from the payment call or a 3-D Secure confirmation).
  async afterReply(
    payment: PaymentEntity,
    reply: EpayPaymentReply,
    source: PaymentEventSource,
  ): Promise<PaymentEntity> {
    const patch = gatewayFieldsPatch(payment, reply);
    if (reply.secure3D) {
      const result = await this.state.transition(payment.id, {
        to: PaymentStatus.REQUIRES_3DS,
        source,
        reason: '3-D Secure required',
        patch: {
          ...patch,
          threeDs: { md: reply.secure3D.md, paReq: reply.secure3D.paReq, action: reply.secure3D.action },
        },
      });
      return result.payment;
    }
    if (reply.status === 'AUTH' || reply.status === 'CHARGE') {
      const to = reply.status === 'AUTH' ? PaymentStatus.AUTHORIZED : PaymentStatus.CHARGED;
      if (to === PaymentStatus.CHARGED) patch.capturedAmount = payment.amount;
      if (reply.cardId && payment.saveCard && payment.accountId) {
        const card = await this.savedCards.remember({
          accountId: payment.accountId,
          epayCardId: reply.cardId,
          cardMask: patch.cardMask ?? null,
          cardType: patch.cardType ?? null,
          issuer: patch.issuer ?? null,
          paymentId: payment.id,
          createdByKind: payment.createdByKind,
          createdByKeyId: payment.apiKeyId,
        });
        if (card.accountId === payment.accountId) patch.savedCardId = card.id;
      }
      return (await this.state.transition(payment.id, { to, source, reason: `ePay ${reply.status}`, patch })).payment;
    }
    // a 200 without a settled status (NEW, or S4's thin Apple Pay reply): the bank has it; ask it now
    const pending = await this.state.transition(payment.id, {
      to: PaymentStatus.PENDING,
      source,
      reason: `ePay replied ${reply.status ?? 'without a status'}`,
      patch,
    });
    return this.checkNow(pending.payment, source);
  }

  async afterCallError(payment: PaymentEntity, err: unknown): Promise<PaymentEntity> {
    if (err instanceof GatewayException) {
      if (err.ambiguous) {
        // the bank may have taken the money: never guess, reconcile by status check
        const result = await this.state.transition(payment.id, {
          to: PaymentStatus.UNKNOWN,
          source: PaymentEventSource.API,
          reason: `ePay ${err.operation}: ${err.failure}`,
          patch: {
            failureCode: err.code,
            failureMessage: 'Outcome not known yet; it is being confirmed with the bank',
          },
        });
        // the bank answered but we cannot read it (seed 002 prints `"secure3D":no`): it has the
        // payment, so ask for its status now rather than at the poller's first check
        if (err.failure === 'malformed') this.checker.hint(payment.id, PaymentEventSource.STATUS_CHECK);
        return result.payment;
      }
      if (err.failure === 'misconfigured') return this.failMisconfigured(payment, err);
      if (err.failure === 'rejected' && err.bankCode !== undefined && EPAY_NON_FINAL_REASON_CODES.has(err.bankCode)) {
        const result = await this.state.transition(payment.id, {
          to: PaymentStatus.UNKNOWN,
          source: PaymentEventSource.API,
          reason: `ePay code ${err.bankCode}: amount may be blocked`,
          patch: { failureCode: `epay_${err.bankCode}`, failureMessage: reasonMessage(err.bankCode) },
        });
        return result.payment;
      }
      return this.fail(payment, err, 'declined');
    }
    // our own bug after the call may have left: treat as unknown, the poller finds the truth
    this.logger.error(
      { paymentId: payment.id, err: (err as Error)?.message },
      'unexpected error around the payment call',
    );
    const result = await this.state.transition(payment.id, {
      to: PaymentStatus.UNKNOWN,
      source: PaymentEventSource.API,
      reason: 'internal error during the payment call',
    });
    return result.payment;
  }

  // No bank endpoint answered (404/405/415...): nothing happened at the bank, so the payment failed,
  // and it is flagged, since every payment fails the same way until the configuration is fixed.
  private async failMisconfigured(payment: PaymentEntity, err: GatewayException): Promise<PaymentEntity> {
    const why = `ePay ${err.operation}: HTTP ${err.httpStatus ?? '?'} is not a bank answer (configuration error)`;
    await this.state.transition(payment.id, {
      to: PaymentStatus.FAILED,
      source: PaymentEventSource.API,
      reason: why,
      patch: { failureCode: MISCONFIGURED_FAILURE_CODE, failureMessage: 'Payment gateway misconfigured' },
    });
    return (await this.checker.flagForAttention(payment.id, why, PaymentEventSource.API)).payment;
  }

  private async fail(payment: PaymentEntity, err: unknown, reason: string): Promise<PaymentEntity> {
    const gateway = err instanceof GatewayException ? err : undefined;
    const failureCode = gateway?.bankCode !== undefined ? `epay_${gateway.bankCode}` : (gateway?.code ?? 'INTERNAL');
    const failureMessage = gateway?.bankCode !== undefined ? reasonMessage(gateway.bankCode) : reason;
    if (!gateway) this.logger.error({ paymentId: payment.id, err: (err as Error)?.message }, reason);
    const result = await this.state.transition(payment.id, {
      to: PaymentStatus.FAILED,
      source: PaymentEventSource.API,
      reason: gateway
        ? `${reason}: ${gateway.failure}${gateway.bankCode !== undefined ? ` ${gateway.bankCode}` : ''}`
        : reason,
      patch: { failureCode, failureMessage },
    });
    return result.payment;
  }

  async checkNowOrThrow(payment: PaymentEntity, source: PaymentEventSource): Promise<PaymentEntity> {
    return (await this.checker.check(payment, source)).payment;
  }

  // One status check (coalesced per payment), best effort: if it fails the poller will do it.
  async checkNow(payment: PaymentEntity, source: PaymentEventSource): Promise<PaymentEntity> {
    try {
      return (await this.checker.checkShared(payment.id, 'latest', source)).payment;
    } catch (err) {
      this.logger.warn(
        { paymentId: payment.id, err: (err as Error).message },
        'immediate status check failed; the poller will retry',
      );
      return this.payments.get(payment.id);
    }
  }
}
