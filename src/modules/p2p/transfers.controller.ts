import { ApiDoc } from '../../common/openapi/api-doc.decorator';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Capability } from '../../api-keys/access-policy';
import { IssuesClientSecret } from '../../api-keys/client-secret.interceptor';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { Access, CurrentApiKey } from '../../api-keys/auth.decorators';
import type { IdempotentRequest } from '../idempotency/idempotency.interceptor';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { GetPaymentQueryDto } from '../payments/dtos/get-payment-query.dto';
import { isFinal } from '../payments/payment-state-machine';
import { PaymentEventSource } from '../payments/payment-status.enum';
import { CreateTransferDto } from './dtos/create-transfer.dto';
import { TransferResponseDto } from './dtos/transfer-response.dto';
import { TransfersRepository } from './transfers.repository';
import { TransfersService } from './transfers.service';

@ApiTags('transfers')
@Controller('v1/transfers')
export class TransfersController {
  constructor(
    private readonly service: TransfersService,
    private readonly transfers: TransfersRepository,
  ) {}

  // 201 with the transfer whatever the bank said: a decline is status "failed", an unclear outcome is
  // "unknown" until reconciled by the P2P status check.
  @Access(Capability.START_TRANSFERS, { account: 'body' })
  @IssuesClientSecret('transfer')
  @Idempotent()
  @ApiDoc(
    'Send a P2P transfer',
    'Card to card: sender by card or saved card, receiver by card number or saved card, all of `accountId`. Secret keys, or a customer session for its own account. Answers 201 with the transfer whatever the bank decided.',
    [404, 409, 422, 502, 503],
  )
  @Post()
  async create(
    @Body() dto: CreateTransferDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
    @Req() req: IdempotentRequest,
  ): Promise<TransferResponseDto> {
    return TransferResponseDto.from(await this.service.create(dto, apiKey, req.idempotencyRecordId));
  }

  @Access([Capability.READ_ANY_PAYMENT, Capability.READ_OWN_PAYMENT], { ownResource: 'transfer' })
  @ApiDoc(
    'Read a transfer',
    'Secret and admin keys read any transfer; a customer session the one whose `clientSecret` it sends in `X-Client-Secret`.',
    [404],
  )
  @Get(':id')
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: GetPaymentQueryDto,
  ): Promise<TransferResponseDto> {
    let transfer = await this.transfers.get(id);
    if (query.refresh && !isFinal(transfer.status))
      transfer = await this.service.checkNow(transfer, PaymentEventSource.STATUS_CHECK);
    return TransferResponseDto.from(transfer);
  }
}
