import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiKeyRole } from '../../api-keys/api-key-role.enum';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { CurrentApiKey, Roles } from '../../api-keys/auth.decorators';
import { TransferResponseDto } from '../p2p/dtos/transfer-response.dto';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { PaymentOperationWithPaymentDto } from './dtos/payment-operation-response.dto';
import { RefundWithPaymentDto } from './dtos/refund-response.dto';
import { ResolveOutcomeDto } from './dtos/resolve-outcome.dto';
import { PaymentOperationsService } from './payment-operations.service';
import { RefundsService } from './refunds.service';
import { TransferResolutionService } from './transfer-resolution.service';

// A person settles a money-moving call whose outcome the bank's status did not tell (the service
// never sends such a call again). Each is audited with the operator's key and reason.
@ApiTags('admin')
@Roles(ApiKeyRole.ADMIN)
@Controller('v1/admin')
export class AdminResolutionsController {
  constructor(
    private readonly refunds: RefundsService,
    private readonly operations: PaymentOperationsService,
    private readonly transfers: TransferResolutionService,
  ) {}

  // only `failed` frees the refund's amount
  @Idempotent({ required: true })
  @HttpCode(200)
  @Post('refunds/:id/resolve')
  resolveRefund(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ResolveOutcomeDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
  ): Promise<RefundWithPaymentDto> {
    return this.refunds.resolveByHand(id, dto, apiKey);
  }

  // a charge or cancel of an authorisation
  @Idempotent({ required: true })
  @HttpCode(200)
  @Post('operations/:id/resolve')
  resolveOperation(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ResolveOutcomeDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
  ): Promise<PaymentOperationWithPaymentDto> {
    return this.operations.resolveByHand(id, dto, apiKey);
  }

  @Idempotent({ required: true })
  @HttpCode(200)
  @Post('transfers/:id/resolve')
  resolveTransfer(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ResolveOutcomeDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
  ): Promise<TransferResponseDto> {
    return this.transfers.resolve(id, dto, apiKey);
  }
}
