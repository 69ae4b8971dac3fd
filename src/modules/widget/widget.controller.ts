import { ApiDoc } from '../../common/openapi/api-doc.decorator';
import { Body, Controller, Post, Req, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Capability } from '../../api-keys/access-policy';
import { IssuesClientSecret } from '../../api-keys/client-secret.interceptor';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { Access, CurrentApiKey } from '../../api-keys/auth.decorators';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { CreateWidgetPaymentDto } from './dtos/create-widget-payment.dto';
import { WidgetPaymentResponseDto } from './dtos/widget-payment-response.dto';
import { WidgetAuthInterceptor } from './widget-auth.interceptor';
import type { WidgetRequest } from './widget-auth.interceptor';
import { WidgetService } from './widget.service';

@ApiTags('payments')
@Controller('v1/payments')
export class WidgetController {
  constructor(private readonly widget: WidgetService) {}

  // 201 with the payment (pending: the customer pays in the bank's widget; follow it with
  // GET /v1/payments/:id) and what to pass to halyk.showPaymentWidget().
  // Decorator order matters: WidgetAuthInterceptor must wrap the idempotency interceptor (listed
  // below @Idempotent, it is registered first and so runs outermost).
  @Access(Capability.START_PAYMENTS, { account: 'body' })
  @IssuesClientSecret('payment', 'payment.id')
  @Idempotent()
  @UseInterceptors(WidgetAuthInterceptor)
  @ApiDoc(
    "Pay in the bank's widget",
    "Creates the payment and returns the object for `halyk.showPaymentWidget(...)` and the widget script URL; the payment settles through the bank's status and postLink.",
    [409, 422, 502, 503],
  )
  @Post('widget')
  async create(
    @Body() dto: CreateWidgetPaymentDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
    @Req() req: WidgetRequest,
  ): Promise<WidgetPaymentResponseDto> {
    const { response, issued } = await this.widget.create(dto, apiKey, req.idempotencyRecordId);
    req.widgetToken = issued ?? null;
    return response;
  }
}
