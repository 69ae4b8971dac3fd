import { EPAY_NON_FINAL_REASON_CODES, reasonMessage } from '../../../gateway/constants/epay-reason-codes.constant';
import { GatewayException, MISCONFIGURED_FAILURE_CODE } from '../../../gateway/gateway.exception';

// What one money-moving call (refund, charge, cancel) tells us about its own fate.
export type BankOutcome =
  | { kind: 'ok' }
  // definitely not done: refused by the bank, or never sent
  | { kind: 'failed'; code: string; message: string; detail: string }
  // may or may not have happened: only reconciliation decides
  | { kind: 'unknown'; code: string; message: string; detail: string };

export const NOT_KNOWN_YET = 'Outcome not known yet; it is being confirmed with the bank';

export function classifyBankError(err: unknown, operation: 'refund' | 'charge' | 'cancel'): BankOutcome {
  if (!(err instanceof GatewayException)) {
    // our own failure around the call: it may already have left, so never assume it did not
    return {
      kind: 'unknown',
      code: 'INTERNAL',
      message: NOT_KNOWN_YET,
      detail: (err as Error)?.message ?? String(err),
    };
  }
  const code = err.bankCode !== undefined ? ` ${err.bankCode}` : '';
  const detail = `${err.operation}: ${err.failure}${code}${err.httpStatus ? ` (HTTP ${err.httpStatus})` : ''}`;
  if (err.operation !== operation) {
    // the token request failed: the money-moving call was never made
    return {
      kind: 'failed',
      code: err.code,
      message: `Could not get an ePay token; the ${operation} was not sent`,
      detail,
    };
  }
  if (err.failure === 'rejected') {
    if (err.bankCode !== undefined && EPAY_NON_FINAL_REASON_CODES.has(err.bankCode)) {
      return { kind: 'unknown', code: `epay_${err.bankCode}`, message: reasonMessage(err.bankCode), detail };
    }
    return {
      kind: 'failed',
      code: err.bankCode !== undefined ? `epay_${err.bankCode}` : err.code,
      message: err.bankCode !== undefined ? reasonMessage(err.bankCode) : `The bank refused the ${operation}`,
      detail,
    };
  }
  if (err.failure === 'misconfigured') {
    // no bank endpoint answered (404/405/415...): not done, and not a decline either
    return {
      kind: 'failed',
      code: MISCONFIGURED_FAILURE_CODE,
      message: `The ${operation} reached no bank endpoint (configuration error)`,
      detail,
    };
  }
  if (err.ambiguous) return { kind: 'unknown', code: err.code, message: NOT_KNOWN_YET, detail };
  // auth (token refused twice) or a request that never left: nothing was processed
  return { kind: 'failed', code: err.code, message: `The ${operation} was not accepted by the bank`, detail };
}
