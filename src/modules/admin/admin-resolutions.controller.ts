import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Capability } from '../../api-keys/access-policy';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { Access, CurrentApiKey } from '../../api-keys/auth.decorators';
import { ApiDoc } from '../../common/openapi/api-doc.decorator';
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
@Access(Capability.ADMIN_ACT)
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
  @ApiDoc(
    'Resolve a refund by hand',
    'A refund whose outcome the bank has not told: `{"outcome":"failed"|"succeeded","reason"}`; only `failed` frees its amount. Audited with the operator\'s key. Admin operator and up.',
    [404, 409, 422],
  )
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
  @ApiDoc(
    'Resolve a charge or cancel by hand',
    'A charge or cancel of an authorisation whose outcome the bank has not told. Audited. Admin operator and up.',
    [404, 409, 422],
  )
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
  @ApiDoc(
    'Resolve a transfer by hand',
    'A P2P transfer whose outcome the bank has not told. Audited. Admin operator and up.',
    [404, 409, 422],
  )
  @Post('transfers/:id/resolve')
  resolveTransfer(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ResolveOutcomeDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
  ): Promise<TransferResponseDto> {
    return this.transfers.resolve(id, dto, apiKey);
  }
}
