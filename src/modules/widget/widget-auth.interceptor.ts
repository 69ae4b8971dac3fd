import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { mergeMap, Observable } from 'rxjs';
import type { IdempotentRequest } from '../idempotency/idempotency.interceptor';
import type { WidgetPaymentResponseDto } from './dtos/widget-payment-response.dto';
import { IssuedWidgetToken, WidgetService } from './widget.service';

export interface WidgetRequest extends IdempotentRequest {
  // set by the handler on a first request: the token it obtained (null: none, e.g. the token call failed)
  widgetToken?: IssuedWidgetToken | null;
}

function isWidgetResponse(body: unknown): body is WidgetPaymentResponseDto {
  return typeof body === 'object' && body !== null && 'payment' in body && 'scriptUrl' in body;
}

// Sits OUTSIDE the idempotency interceptor on POST /v1/payments/widget, so what the idempotency store
// keeps is the answer without the token (an access token never rests in our database), and the token is
// added on the way out: the one just obtained, or a fresh one when the idempotency layer replays a stored
// answer (or, after a crash, the payment the key points at).
@Injectable()
export class WidgetAuthInterceptor implements NestInterceptor {
  constructor(private readonly widget: WidgetService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<WidgetRequest>();
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        if (req.widgetToken !== undefined) {
          return isWidgetResponse(body) ? this.widget.withAuth(body, req.widgetToken ?? undefined) : body;
        }
        const paymentId = isWidgetResponse(body) ? body.payment.id : (body as { id?: unknown } | null)?.id;
        return typeof paymentId === 'string' ? this.widget.reissue(paymentId) : body;
      }),
    );
  }
}
