import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLoggerInterface } from 'typeorm';
import { redactString } from '../common/logging/redact.util';

// TypeORM's own loggers print failed queries WITH their parameters to the console. Ours go through
// the app's redacting logger and never carry parameters (they may hold secrets or customer data).
export class TypeOrmLogger implements TypeOrmLoggerInterface {
  private readonly logger = new Logger('Database');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.error(
      { err: redactString(error instanceof Error ? error.message : error), query: shorten(query) },
      'query failed',
    );
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, query: shorten(query) }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = redactString(String(message));
    if (level === 'warn') this.logger.warn(text);
    else this.logger.debug(text);
  }
}

function shorten(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
