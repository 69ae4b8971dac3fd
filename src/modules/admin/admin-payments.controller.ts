import { ApiDoc } from '../../common/openapi/api-doc.decorator';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Capability } from '../../api-keys/access-policy';
import type { AuthenticatedApiKey } from '../../api-keys/api-keys.service';
import { Access, CurrentApiKey } from '../../api-keys/auth.decorators';
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
@Access(Capability.ADMIN_READ)
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

  @ApiDoc(
    'Search payments',
    'Filters: status, dates, invoice, account, reference, last four, amount range, needs_attention; keyset pages (`cursor`). Admin viewer and up.',
  )
  @Get()
  list(@Query() query: SearchPaymentsQueryDto): Promise<AdminPaymentPageDto> {
    return this.search.payments(query);
  }

  @ApiDoc(
    'Investigate a payment',
    'The payment with its whole story: events with source and actor, every bank exchange (redacted), postLink callbacks and how they were judged, refunds, charge/cancel operations, the saved card.',
    [404],
  )
  @Get(':id')
  investigate(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.investigation.investigate(id);
  }

  // 201 with the refund whatever the bank said: succeeded, failed (with the bank's code), or unknown
  // (the reply was lost; the refunds reconciliation queue settles it). Over the refundable amount: 422.
  @Idempotent({ required: true })
  @Access(Capability.ADMIN_ACT)
  @ApiDoc(
    'Refund a payment',
    'Full or partial refund against the ledger (race-safe). `Idempotency-Key` required. Admin operator and up; the acting key is recorded.',
    [404, 409, 422, 502, 503],
  )
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
  @Access(Capability.ADMIN_ACT)
  @ApiDoc(
    'Charge an authorisation',
    'Capture an authorised payment (two-step terminals), fully or in part. `Idempotency-Key` required. Admin operator and up.',
    [404, 409, 422, 502, 503],
  )
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
  @Access(Capability.ADMIN_ACT)
  @ApiDoc(
    'Cancel an authorisation',
    'Release an authorised payment. `Idempotency-Key` required. Admin operator and up.',
    [404, 409, 422, 502, 503],
  )
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
  @Access(Capability.ADMIN_ACT)
  @ApiDoc(
    'Settle a payment the bank charged after we declared it failed',
    'For a payment failed as not found at the bank that the bank now shows charged or authorised: `record_as_paid` keeps the sale, `refund_at_bank` gives the money back. Audited. Admin operator and up.',
    [404, 409, 422, 502, 503],
  )
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
  @Access(Capability.ADMIN_ACT)
  @ApiDoc(
    'Check a payment with the bank now',
    "Asks ePay for the payment's status and applies it through the state machine. Admin operator and up; recorded with its reason.",
    [404, 502, 503],
  )
  @Post(':id/sync')
  sync(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: SyncPaymentDto,
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
  ): Promise<SyncResult> {
    return this.syncer.sync(id, apiKey, dto.reason);
  }
}
