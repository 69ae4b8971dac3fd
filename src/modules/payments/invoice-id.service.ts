import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';

export const INVOICE_ID_PATTERN = /^\d{6,15}$/;

// A suffix is taken when free or when its reservation is older than the retention window ($1 days).
const TAKE_SUFFIX = `ON CONFLICT (suffix) DO UPDATE SET invoice_id = EXCLUDED.invoice_id, reserved_at = now()
    WHERE invoice_suffixes.reserved_at < now() - make_interval(days => $1)
      AND invoice_suffixes.invoice_id <> EXCLUDED.invoice_id
  RETURNING invoice_id`;
const RESERVE_GIVEN_SQL = `INSERT INTO invoice_suffixes (suffix, invoice_id) VALUES ($2, $3) ${TAKE_SUFFIX}`;
// the next id of the sequence and its suffix in one statement
const RESERVE_NEXT_SQL = `INSERT INTO invoice_suffixes (suffix, invoice_id)
  SELECT right(v, 6), v FROM (SELECT nextval('invoice_id_seq')::text AS v) AS next_id ${TAKE_SUFFIX}`;

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
          {
            field: 'invoiceId',
            message: 'already used: the bank requires invoice ids and their last six digits to be unique',
          },
        ]);
      }
      return requested;
    }
    // a suffix collision only happens after a million ids inside the retention window
    for (let attempt = 0; attempt < 20; attempt++) {
      const rows: { invoice_id: string }[] = await manager.query(RESERVE_NEXT_SQL, [
        this.config.get('INVOICE_SUFFIX_RETENTION_DAYS'),
      ]);
      if (rows.length === 1) return rows[0].invoice_id;
    }
    throw new AppException(ErrorCode.CONFLICT, 'Could not allocate an invoice id; retry');
  }

  private async tryReserve(manager: EntityManager, invoiceId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(RESERVE_GIVEN_SQL, [
      this.config.get('INVOICE_SUFFIX_RETENTION_DAYS'),
      invoiceId.slice(-6),
      invoiceId,
    ]);
    return rows.length === 1;
  }
}
