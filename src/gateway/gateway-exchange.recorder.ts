import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { redact } from '../common/logging/redact.util';
import { sanitizeText } from '../common/validation/text-safety.util';
import { GatewayExchangeEntity } from './gateway-exchange.entity';

export interface ExchangeRecord {
  paymentId?: string;
  transferId?: string;
  operation: string;
  method: string;
  path: string;
  httpStatus?: number;
  outcome: string;
  latencyMs: number;
  attempt: number;
  requestBody?: unknown;
  responseBody?: unknown;
  errorMessage?: string;
}

// Stores every exchange (redacted) for the investigation endpoints. A failure to record must never
// turn a payment into an error, so it is logged and swallowed.
@Injectable()
export class GatewayExchangeRecorder {
  private readonly logger = new Logger(GatewayExchangeRecorder.name);

  constructor(@InjectRepository(GatewayExchangeEntity) private readonly repo: Repository<GatewayExchangeEntity>) {}

  async record(rec: ExchangeRecord): Promise<void> {
    try {
      await this.repo.insert({
        paymentId: rec.paymentId ?? null,
        transferId: rec.transferId ?? null,
        operation: rec.operation,
        method: rec.method,
        path: rec.path,
        httpStatus: rec.httpStatus ?? null,
        outcome: rec.outcome,
        latencyMs: Math.round(rec.latencyMs),
        attempt: rec.attempt,
        requestBody: asJson(rec.requestBody),
        responseBody: asJson(rec.responseBody),
        errorMessage: rec.errorMessage ? sanitizeText(rec.errorMessage) : null,
      });
    } catch (err) {
      this.logger.warn({ operation: rec.operation, err: (err as Error).message }, 'could not record gateway exchange');
    }
  }

  forPayment(paymentId: string): Promise<GatewayExchangeEntity[]> {
    return this.repo.find({ where: { paymentId }, order: { createdAt: 'ASC' } });
  }

  forTransfer(transferId: string): Promise<GatewayExchangeEntity[]> {
    return this.repo.find({ where: { transferId }, order: { createdAt: 'ASC' } });
  }
}

// jsonb column: objects as they are, text replies wrapped so they stay queryable
function asJson(body: unknown): object | null {
  if (body === undefined || body === null) return null;
  const safe = sanitizeText(redact(body));
  return typeof safe === 'object' ? (safe as object) : { text: String(safe) };
}
