import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from './error-code.enum';

// The one place where error codes become HTTP statuses.
export const ERROR_HTTP_STATUS: Record<ErrorCode, HttpStatus> = {
  [ErrorCode.VALIDATION_FAILED]: HttpStatus.BAD_REQUEST,
  [ErrorCode.BAD_REQUEST]: HttpStatus.BAD_REQUEST,
  [ErrorCode.UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [ErrorCode.PAYLOAD_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.RATE_LIMITED]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.INTERNAL]: HttpStatus.INTERNAL_SERVER_ERROR,
  [ErrorCode.DATABASE_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.OUTCOME_PENDING]: HttpStatus.SERVICE_UNAVAILABLE,

  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.IDEMPOTENCY_IN_PROGRESS]: HttpStatus.CONFLICT,
  [ErrorCode.IDEMPOTENCY_KEY_REQUIRED]: HttpStatus.BAD_REQUEST,

  [ErrorCode.INVOICE_ID_TAKEN]: HttpStatus.CONFLICT,
  [ErrorCode.INVALID_CARD]: HttpStatus.BAD_REQUEST,
  [ErrorCode.CARD_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.PAYMENT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.TRANSFER_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.ILLEGAL_STATE_TRANSITION]: HttpStatus.CONFLICT,
  [ErrorCode.OPERATION_NOT_ALLOWED]: HttpStatus.CONFLICT,
  [ErrorCode.REFUND_EXCEEDS_CHARGE]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.THREE_DS_INVALID]: HttpStatus.BAD_REQUEST,
  [ErrorCode.FEATURE_DISABLED]: HttpStatus.NOT_FOUND,

  [ErrorCode.GATEWAY_TIMEOUT]: HttpStatus.GATEWAY_TIMEOUT,
  [ErrorCode.GATEWAY_UNAVAILABLE]: HttpStatus.BAD_GATEWAY,
  [ErrorCode.GATEWAY_REJECTED]: HttpStatus.PAYMENT_REQUIRED,
  [ErrorCode.GATEWAY_MALFORMED_RESPONSE]: HttpStatus.BAD_GATEWAY,
  [ErrorCode.GATEWAY_AUTH_FAILED]: HttpStatus.BAD_GATEWAY,
  [ErrorCode.GATEWAY_MISCONFIGURED]: HttpStatus.BAD_GATEWAY,

  // issue #8 (outbound events)
  [ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.WEBHOOK_EVENT_NOT_FOUND]: HttpStatus.NOT_FOUND,

  // issue #5 (wallets, widget, P2P)
  // Apple refused or did not answer our merchant validation
  [ErrorCode.APPLE_PAY_SESSION_FAILED]: HttpStatus.BAD_GATEWAY,
};

// Codes whose answer carries Retry-After (seconds): the request may well succeed when repeated.
export const ERROR_RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.DATABASE_UNAVAILABLE]: 5,
  [ErrorCode.OUTCOME_PENDING]: 5,
};
