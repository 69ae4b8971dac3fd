import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { reasonMessage } from './constants/epay-reason-codes.constant';

// misconfigured: an answer no bank endpoint gives (HTTP 404/405/415, or a 4xx to a money-moving call
// without ePay's {code, message}): a wrong URL, path or content type of ours, never a decline. The
// request reached no payment endpoint, so nothing can have happened (not ambiguous).
export type GatewayFailure = 'timeout' | 'unavailable' | 'rejected' | 'malformed' | 'auth' | 'misconfigured';

// failure.code of a payment or transfer whose call reached no bank endpoint
export const MISCONFIGURED_FAILURE_CODE = 'gateway_misconfigured';

const FAILURE_CODES: Record<GatewayFailure, ErrorCode> = {
  timeout: ErrorCode.GATEWAY_TIMEOUT,
  unavailable: ErrorCode.GATEWAY_UNAVAILABLE,
  rejected: ErrorCode.GATEWAY_REJECTED,
  malformed: ErrorCode.GATEWAY_MALFORMED_RESPONSE,
  auth: ErrorCode.GATEWAY_AUTH_FAILED,
  misconfigured: ErrorCode.GATEWAY_MISCONFIGURED,
};

// A failed exchange with ePay. `ambiguous` says whether the bank may have acted anyway: a timeout,
// a 5xx, a dropped connection or a garbled reply to a money-moving call leaves the outcome unknown.
export class GatewayException extends AppException {
  constructor(
    readonly failure: GatewayFailure,
    message: string,
    readonly details_: {
      operation: string;
      httpStatus?: number;
      bankCode?: number;
      // the bank's own text, kept for investigations (stored redacted), never sent to API clients
      bankMessage?: string;
      body?: unknown;
    },
    options?: { cause?: unknown },
    // the request never left this machine (connection refused, DNS failure): nothing can have happened
    readonly notSent = false,
  ) {
    super(
      FAILURE_CODES[failure],
      message,
      failure === 'rejected' && details_.bankCode !== undefined
        ? { bankCode: details_.bankCode, reason: reasonMessage(details_.bankCode) }
        : undefined,
      options,
    );
    this.name = 'GatewayException';
  }

  get operation(): string {
    return this.details_.operation;
  }

  get bankCode(): number | undefined {
    return this.details_.bankCode;
  }

  get httpStatus(): number | undefined {
    return this.details_.httpStatus;
  }

  get responseBody(): unknown {
    return this.details_.body;
  }

  // The bank may have moved money: never mark failed, reconcile by status check instead.
  get ambiguous(): boolean {
    if (this.notSent) return false;
    return this.failure === 'timeout' || this.failure === 'unavailable' || this.failure === 'malformed';
  }
}
