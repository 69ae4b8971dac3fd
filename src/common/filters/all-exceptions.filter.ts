import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { MAX_JSON_DEPTH } from '../validation/json-depth.util';
import type { Request, Response } from 'express';
import { AppException } from '../errors/app.exception';
import { ErrorCode } from '../errors/error-code.enum';
import { isDatabaseUnavailable } from '../errors/database-unavailable.util';
import { ERROR_HTTP_STATUS, ERROR_RETRY_AFTER_SECONDS } from '../errors/error-http-status.constant';
import { redact } from '../logging/redact.util';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: ErrorCode.BAD_REQUEST,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  429: ErrorCode.RATE_LIMITED,
};

// Errors thrown by body-parser (bad JSON, too large) are plain errors with a status.
interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

// One mapping point from errors to HTTP: codes from AppException, statuses from Nest/body-parser,
// everything else a generic 500 with the request id and no stack trace.
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string | number }>();
    const requestId = String(req?.id ?? res.getHeader('x-request-id') ?? '');
    const { status, body } = this.toBody(exception, requestId);
    if (status >= 500) {
      this.logger.error({ err: this.describe(exception), requestId, path: req?.path }, 'request failed');
    }
    if (res.headersSent) return;
    const retryAfter = ERROR_RETRY_AFTER_SECONDS[body.error.code as ErrorCode];
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    res.status(status).json(body);
  }

  private toBody(exception: unknown, requestId: string): { status: number; body: ErrorBody } {
    if (exception instanceof AppException) {
      const status = ERROR_HTTP_STATUS[exception.code] ?? HttpStatus.INTERNAL_SERVER_ERROR;
      return {
        status,
        body: {
          error: {
            code: exception.code,
            message: exception.message,
            ...(exception.details ? { details: redact(exception.details) } : {}),
            requestId,
          },
        },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // body-parser errors arrive wrapped; their messages can quote the body (card data), never echo them
      const cause = (exception as { cause?: BodyParserError }).cause;
      if (cause?.type === 'entity.too.deep') return this.tooDeep(requestId);
      if (cause?.type === 'entity.parse.failed') {
        return this.simple(400, ErrorCode.VALIDATION_FAILED, 'Request body is not valid JSON', requestId);
      }
      if (cause?.type === 'entity.too.large') {
        return this.simple(413, ErrorCode.PAYLOAD_TOO_LARGE, 'Request body is too large', requestId);
      }
      if (cause?.type) {
        return this.simple(status, STATUS_CODES[status] ?? ErrorCode.BAD_REQUEST, 'Bad request', requestId);
      }
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : typeof (response as { message?: unknown }).message === 'string'
            ? (response as { message: string }).message
            : exception.message;
      const code = STATUS_CODES[status] ?? (status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST);
      return {
        status,
        body: { error: { code, message: status >= 500 ? 'Internal error' : message, requestId } },
      };
    }
    const parserError = exception as BodyParserError;
    if (parserError && typeof parserError.status === 'number' && parserError.expose) {
      if (parserError.type === 'entity.too.large') {
        return this.simple(413, ErrorCode.PAYLOAD_TOO_LARGE, 'Request body is too large', requestId);
      }
      if (parserError.type === 'entity.too.deep') return this.tooDeep(requestId);
      if (parserError.type === 'entity.parse.failed') {
        return this.simple(400, ErrorCode.VALIDATION_FAILED, 'Request body is not valid JSON', requestId);
      }
      if (parserError.status >= 400 && parserError.status < 500) {
        return this.simple(
          parserError.status,
          STATUS_CODES[parserError.status] ?? ErrorCode.BAD_REQUEST,
          'Bad request',
          requestId,
        );
      }
    }
    if (isDatabaseUnavailable(exception)) {
      const code = ErrorCode.DATABASE_UNAVAILABLE;
      return this.simple(ERROR_HTTP_STATUS[code], code, 'The database is unavailable; retry later', requestId);
    }
    return this.simple(500, ErrorCode.INTERNAL, 'Internal error', requestId);
  }

  private tooDeep(requestId: string) {
    const message = `nested deeper than ${MAX_JSON_DEPTH} levels`;
    return {
      status: 400,
      body: {
        error: {
          code: ErrorCode.VALIDATION_FAILED,
          message: 'Invalid request: body',
          details: [{ field: 'body', message }],
          requestId,
        },
      },
    };
  }

  private simple(status: number, code: ErrorCode, message: string, requestId: string) {
    return { status, body: { error: { code, message, requestId } } };
  }

  private describe(exception: unknown): Record<string, unknown> {
    if (exception instanceof Error) {
      return redact({ name: exception.name, message: exception.message, stack: exception.stack });
    }
    return { value: redact(String(exception)) };
  }
}
