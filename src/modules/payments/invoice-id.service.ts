import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';

export const INVOICE_ID_PATTERN = /^\d{6,15}$/;

// Invoice ids (S0–S3): 6–15 digits, unique, and the last six digits unique too. Generated ids come
// from a sequence (9+ digits, so consecutive ids differ in their last six); every id, generated or
// given, reserves its six-digit suffix in invoice_suffixes. A suffix is free again only after
// INVOICE_SUFFIX_RETENTION_DAYS, which is how "last six unique" stays satisfiable past 10^6 payments.
@Injectable()
export class InvoiceIdService {
  constructor(private readonly config: AppConfigService) {}

  // Must run inside the transaction that inserts the payment, so a failed insert frees the suffix.
  async reserve(manager: EntityManager, requested?: string): Promise<string> {
    if (requested !== undefined) {
      if (!INVOICE_ID_PATTERN.test(requested)) {
        throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: invoiceId', [
          { field: 'invoiceId', message: 'invoiceId must be 6 to 15 digits' },
        ]);
      }
      if (!(await this.tryReserve(manager, requested))) {
        throw new AppException(ErrorCode.INVOICE_ID_TAKEN, 'invoiceId (or its last six digits) was used recently', [
          { field: 'invoiceId', message: 'already used: the bank requires invoice ids and their last six digits to be unique' },
        ]);
      }
      return requested;
    }
    // a suffix collision only happens after a million ids inside the retention window
    for (let attempt = 0; attempt < 20; attempt++) {
      const [{ id }] = await manager.query(`SELECT nextval('invoice_id_seq')::text AS id`);
      if (await this.tryReserve(manager, id)) return id;
    }
    throw new AppException(ErrorCode.CONFLICT, 'Could not allocate an invoice id; retry');
  }

  private async tryReserve(manager: EntityManager, invoiceId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO invoice_suffixes (suffix, invoice_id) VALUES ($1, $2)
       ON CONFLICT (suffix) DO UPDATE SET invoice_id = EXCLUDED.invoice_id, reserved_at = now()
         WHERE invoice_suffixes.reserved_at < now() - make_interval(days => $3)
           AND invoice_suffixes.invoice_id <> EXCLUDED.invoice_id
       RETURNING suffix`,
      [invoiceId.slice(-6), invoiceId, this.config.get('INVOICE_SUFFIX_RETENTION_DAYS')],
    );
    return rows.length === 1;
  }
}
