import { Injectable, Logger } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { returnUrlPolicy, returnUrlProblem } from '../../common/http/return-url.util';
import { AppConfigService } from '../../config/app-config.service';
import { GatewayException } from '../../gateway/gateway.exception';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { EpayTokenService } from '../auth/epay-token.service';
import { PaymentEntity } from '../payments/payment.entity';
import { PaymentFlowService } from '../payments/payment-flow.service';
import { PaymentStateService } from '../payments/payment-state.service';
import { PaymentEventSource, PaymentStatus } from '../payments/payment-status.enum';
import { PaymentsRepository } from '../payments/payments.repository';

export interface AcsRedirect {
  action: string;
  fields: { PaReq: string; MD: string; TermUrl: string };
}

// how often a repeat callback looks at a payment another replica is confirming
const CONFIRMATION_WATCH_MS = 250;

const SUCCESS = new Set([PaymentStatus.AUTHORIZED, PaymentStatus.CHARGED]);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// 3-D Secure with our own TermUrl (API.md §4): redirect to the ACS, take its answer once, confirm
// with ePay, then let a status check (not the confirm reply, which has no contract) decide.
@Injectable()
export class ThreeDsService {
  private readonly logger = new Logger(ThreeDsService.name);
  // confirmations running in this process, for repeats of the same callback to wait on
  private readonly confirming = new Map<string, Promise<PaymentEntity>>();

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly state: PaymentStateService,
    private readonly flow: PaymentFlowService,
    private readonly tokens: EpayTokenService,
    private readonly homebank: HomebankHttpService,
    private readonly config: AppConfigService,
  ) {}

  termUrl(paymentId: string): string {
    return `${this.config.publicBaseUrl}/v1/three-ds/${paymentId}/callback`;
  }

  async redirectFor(paymentId: string): Promise<AcsRedirect | PaymentEntity> {
    const payment = await this.payments.get(paymentId);
    if (payment.status !== PaymentStatus.REQUIRES_3DS || !payment.threeDs || payment.threeDs.callbackAt) return payment;
    return {
      action: payment.threeDs.action,
      fields: { PaReq: payment.threeDs.paReq, MD: payment.threeDs.md, TermUrl: this.termUrl(payment.id) },
    };
  }

  async complete(paymentId: string, paRes: string, md: string): Promise<PaymentEntity> {
    // claim the callback under the row lock: it must match the stored MD, and only the first one
    // reaches the bank; a repeat (browser refresh, ACS retry) just sends the customer on
    const claim = await this.state.lockAndUpdate(paymentId, async (p, m) => {
      if (!p.threeDs || !sameSecret(p.threeDs.md, md)) {
        throw new AppException(
          ErrorCode.THREE_DS_INVALID,
          '3-D Secure callback does not match a payment waiting for it',
        );
      }
      if (p.threeDs.callbackAt || p.status !== PaymentStatus.REQUIRES_3DS) return { payment: p, first: false };
      p.threeDs = { ...p.threeDs, callbackAt: new Date().toISOString() };
      await m.getRepository(PaymentEntity).update({ id: p.id }, { threeDs: p.threeDs });
      return { payment: p, first: true };
    });
    if (!claim.first) return this.afterConfirmation(claim.payment);
    const run = this.confirm(claim.payment, paRes, md);
    this.confirming.set(paymentId, run);
    try {
      return await run;
    } finally {
      this.confirming.delete(paymentId);
    }
  }

  // A repeat that finds the first callback's confirmation still running (a double-submitted TermUrl
  // form) waits for its outcome, so every browser is sent on by the final status: in this process
  // through the confirmation itself, from another replica by watching the row (bounded by the
  // confirmation's own calls: token, confirm, status check).
  private async afterConfirmation(payment: PaymentEntity): Promise<PaymentEntity> {
    if (payment.status !== PaymentStatus.REQUIRES_3DS) return payment;
    const local = this.confirming.get(payment.id);
    if (local) return local.catch(() => this.payments.get(payment.id));
    const deadline = Date.now() + 3 * this.config.get('EPAY_TIMEOUT_MS');
    for (;;) {
      const now = await this.payments.get(payment.id);
      if (now.status !== PaymentStatus.REQUIRES_3DS || Date.now() > deadline) return now;
      await new Promise((r) => setTimeout(r, CONFIRMATION_WATCH_MS));
    }
  }

  private async confirm(payment: PaymentEntity, paRes: string, md: string): Promise<PaymentEntity> {
    const paymentId = payment.id;
    let confirmError: unknown;
    try {
      const token = await this.tokens.paymentToken({
        invoiceId: payment.invoiceId,
        amountMinor: payment.amount,
        currency: payment.currency.trim(),
        link: { paymentId: payment.id },
      });
      await this.homebank.confirm3ds(
        token,
        { ID: payment.epayTransactionId ?? '', PaRes: paRes, MD: md },
        { paymentId: payment.id },
      );
    } catch (err) {
      // even a refused or lost confirm is settled by the status check below
      confirmError = err;
      this.logger.warn({ paymentId, err: (err as Error).message }, '3-D Secure confirm call failed');
    }

    try {
      const outcome = await this.flow.checkNowOrThrow(payment, PaymentEventSource.THREE_DS);
      if (outcome.status !== PaymentStatus.REQUIRES_3DS) return outcome;
    } catch (err) {
      this.logger.warn({ paymentId, err: (err as Error).message }, 'status check after 3-D Secure failed');
    }
    // the bank has our confirm (or may have): until a status check says more, the outcome is unknown
    const reason =
      confirmError instanceof GatewayException
        ? `3-D Secure confirm: ${confirmError.failure}`
        : '3-D Secure completed, outcome not confirmed yet';
    return (
      await this.state.transition(payment.id, {
        to: PaymentStatus.UNKNOWN,
        source: PaymentEventSource.THREE_DS,
        reason,
      })
    ).payment;
  }

  // Where the customer's browser goes afterwards: the company's backLink or failureBackLink.
  returnUrl(payment: PaymentEntity): string | undefined {
    const success = SUCCESS.has(payment.status);
    // still being confirmed (a repeat that gave up waiting): not a failure
    const confirming = payment.status === PaymentStatus.REQUIRES_3DS && !!payment.threeDs?.callbackAt;
    const pendingish =
      confirming || payment.status === PaymentStatus.UNKNOWN || payment.status === PaymentStatus.PENDING;
    const base = success || pendingish ? payment.backLink : (payment.failureBackLink ?? payment.backLink);
    // rows stored before RETURN_URL_ORIGINS (or after it changed) are judged again: no open redirect
    if (!base || returnUrlProblem(base, returnUrlPolicy(this.config))) return undefined;
    const url = new URL(base);
    url.searchParams.set('paymentId', payment.id);
    url.searchParams.set('invoiceId', payment.invoiceId);
    url.searchParams.set('status', payment.status);
    return url.toString();
  }
}
