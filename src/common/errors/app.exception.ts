import { ErrorCode } from './error-code.enum';

export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

// Domain errors carry a code; the global filter turns the code into an HTTP status and body.
// Messages must never contain card data, tokens or raw gateway text.
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[] | Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppException';
  }
}
