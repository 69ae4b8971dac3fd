import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiKeyRole } from '../../api-keys/api-key-role.enum';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { CurrentApiKey, Roles } from '../../api-keys/auth.decorators';
import type { IdempotentRequest } from '../idempotency/idempotency.interceptor';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { AdminSearchService } from './admin-search.service';
import { AdminPaymentPageDto } from './dtos/admin-payment-response.dto';
import { CancelPaymentDto } from './dtos/cancel-payment.dto';
import { ChargePaymentDto } from './dtos/charge-payment.dto';
import { PaymentOperationWithPaymentDto } from './dtos/payment-operation-response.dto';
import { RefundPaymentDto } from './dtos/refund-payment.dto';
import { RefundWithPaymentDto } from './dtos/refund-response.dto';
import { SearchPaymentsQueryDto } from './dtos/search-payments-query.dto';
import { SyncPaymentDto } from './dtos/sync-payment.dto';
import { ResolveMismatchDto } from './dtos/resolve-mismatch.dto';
import { PaymentInvestigationService } from './payment-investigation.service';
import { MismatchResolutionResult, PaymentMismatchService } from './payment-mismatch.service';
import { PaymentOperationsService } from './payment-operations.service';
import { PaymentSyncService, SyncResult } from './payment-sync.service';
import { PaymentOperationKind } from './payment-operation-kind.enum';
import { RefundsService } from './refunds.service';

// Operators' API for payments. Admin keys only (the guard's default; said explicitly here too).
// Money-moving POSTs require an Idempotency-Key: a retried click must never refund or charge twice.
@ApiTags('admin')
@Roles(ApiKeyRole.ADMIN)
@Controller('v1/admin/payments')
export class AdminPaymentsController {
  constructor(
    private readonly search: AdminSearchService,
    private readonly investigation: PaymentInvestigationService,
    private readonly refunds: RefundsService,
    private readonly operations: PaymentOperationsService,
    private readonly syncer: PaymentSyncService,
    private readonly mismatches: PaymentMismatchService,
  ) {}

  @Get()
  list(@Query() query: SearchPaymentsQueryDto): Promise<AdminPaymentPageDto> {
    return this.search.payments(query);
  }

  @Get(':id')
  investigate(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.investigation.investigate(id);
  }

  // 201 with the refund whatever the bank said: succeeded, failed (with the bank's code), or unknown
  // (the reply was lost; the refunds reconciliation queue settles it). Over the refundable amount: 422.
  @Idempotent({ required: true })
  @Post(':id/refund')
  refund(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: RefundPaymentDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
    @Req() req: IdempotentRequest,
  ): Promise<RefundWithPaymentDto> {
    return this.refunds.refund(id, dto, apiKey, req.idempotencyRecordId);
  }

  @Idempotent({ required: true })
  @Post(':id/charge')
  charge(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ChargePaymentDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
    @Req() req: IdempotentRequest,
  ): Promise<PaymentOperationWithPaymentDto> {
    const request = { kind: PaymentOperationKind.CHARGE, amount: dto.amount, reason: dto.reason?.trim() ?? null };
    return this.operations.execute(id, request, apiKey, req.idempotencyRecordId);
  }

  @Idempotent({ required: true })
  @Post(':id/cancel')
  cancel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CancelPaymentDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
    @Req() req: IdempotentRequest,
  ): Promise<PaymentOperationWithPaymentDto> {
    const request = { kind: PaymentOperationKind.CANCEL, reason: dto.reason.trim() };
    return this.operations.execute(id, request, apiKey, req.idempotencyRecordId);
  }

  // A payment failed as not found at the bank that the bank now shows charged/authorised: take the
  // bank's status and keep the sale (record_as_paid) or give the money back (refund_at_bank).
  @Idempotent({ required: true })
  @HttpCode(200)
  @Post(':id/resolve-mismatch')
  resolveMismatch(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ResolveMismatchDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
    @Req() req: IdempotentRequest,
  ): Promise<MismatchResolutionResult> {
    return this.mismatches.resolve(id, dto, apiKey, req.idempotencyRecordId);
  }

  // a status check now; moves no money
  @HttpCode(200)
  @Post(':id/sync')
  sync(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: SyncPaymentDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
  ): Promise<SyncResult> {
    return this.syncer.sync(id, apiKey, dto.reason);
  }
}
