import { ApiDoc } from '../../common/openapi/api-doc.decorator';
import { Controller, Get, Header, Headers, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Capability } from '../../api-keys/access-policy';
import { Access } from '../../api-keys/auth.decorators';
import { AdminSearchService, Page } from './admin-search.service';
import { ReconciliationQueryDto } from './dtos/reconciliation-query.dto';
import { RefundResponseDto } from './dtos/refund-response.dto';
import { SearchRefundsQueryDto } from './dtos/search-refunds-query.dto';
import { SearchTransfersQueryDto } from './dtos/search-transfers-query.dto';
import { ReconciliationReport, ReconciliationReportService } from './reconciliation-report.service';

@ApiTags('admin')
@Access(Capability.ADMIN_READ)
@Controller('v1/admin')
export class AdminListsController {
  constructor(
    private readonly search: AdminSearchService,
    private readonly reconciliation: ReconciliationReportService,
  ) {}

  @ApiDoc('Search refunds', 'Refunds by status, payment, dates; keyset pages. Admin viewer and up.')
  @Get('refunds')
  refunds(@Query() query: SearchRefundsQueryDto): Promise<Page<RefundResponseDto>> {
    return this.search.refunds(query);
  }

  @ApiDoc('Search P2P transfers', 'Transfers by status, account, dates; keyset pages. Admin viewer and up.')
  @Get('transfers')
  transfers(@Query() query: SearchTransfersQueryDto): Promise<Page<Record<string, unknown>>> {
    return this.search.transfers(query);
  }

  // JSON by default; CSV of the mismatches with ?format=csv or Accept: text/csv
  @ApiProduces('application/json', 'text/csv')
  @Header('Cache-Control', 'no-store')
  @ApiDoc(
    'Reconciliation report',
    "Our ledger against the bank's records for a period (`from`, `to`); `format=csv` downloads it. Admin viewer and up.",
    [502, 503],
  )
  @Get('reconciliation')
  async report(
    @Query() query: ReconciliationQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReconciliationReport | string> {
    const report = await this.reconciliation.report(query.from, query.to);
    const csv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/i.test(accept ?? ''));
    if (!csv) return report;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    const name = `reconciliation-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv`;
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('X-Reconciliation-Source', report.source);
    res.setHeader('X-Reconciliation-Complete', String(report.complete));
    return this.reconciliation.toCsv(report);
  }
}
