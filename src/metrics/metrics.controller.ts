import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiExcludeController } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '../api-keys/auth.decorators';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfigService } from '../config/app-config.service';
import { MetricsService } from './metrics.service';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

// Prometheus scrape target: METRICS_ENABLED=false hides it (404); METRICS_TOKEN makes it require
// "Authorization: Bearer <token>" (401 otherwise) when it cannot sit on a private network.
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly enabled: boolean;
  private readonly token?: Buffer;

  constructor(
    private readonly metrics: MetricsService,
    config: AppConfigService,
  ) {
    this.enabled = config.get('METRICS_ENABLED');
    const token = config.get('METRICS_TOKEN');
    this.token = token ? digest(token) : undefined;
  }

  @Public()
  @Get()
  scrape(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization?: string): Promise<string> {
    if (!this.enabled) throw new AppException(ErrorCode.NOT_FOUND, 'Not found');
    if (this.token) {
      const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), this.token)) {
        throw new AppException(ErrorCode.UNAUTHENTICATED, 'Metrics need Authorization: Bearer <METRICS_TOKEN>');
      }
    }
    // set here, not with @Header: a refusal above keeps the JSON error body
    res.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return this.metrics.registry.metrics();
  }
}
