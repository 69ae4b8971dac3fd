import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-code.enum';

export class ErrorDetailDto {
  @ApiPropertyOptional({ description: 'the field at fault, as a path: card.number, metadata.note, Idempotency-Key' })
  field?: string;
  @ApiProperty()
  message: string;
}

export class ErrorBodyDto {
  @ApiProperty({ enum: ErrorCode })
  code: ErrorCode;
  @ApiProperty()
  message: string;
  @ApiPropertyOptional({ type: [ErrorDetailDto] })
  details?: ErrorDetailDto[];
  @ApiProperty({ description: 'also in the X-Request-Id header; quote it when asking for help' })
  requestId: string;
}

// Every error the API answers has this one shape.
export class ErrorResponseDto {
  @ApiProperty({ type: ErrorBodyDto })
  error: ErrorBodyDto;
}

const ERROR_TEXT: Record<number, string> = {
  400: 'invalid request: `details` names each wrong field (VALIDATION_FAILED, BAD_REQUEST)',
  401: 'no API key, or an invalid, expired or revoked one (UNAUTHENTICATED)',
  403: 'this kind of key may not do this, or not for this account / payment (FORBIDDEN)',
  404: 'no such resource (or not visible to this key)',
  409: 'conflict: the Idempotency-Key is still being processed, an id is taken, or the state does not allow it',
  413: 'request body too large (PAYLOAD_TOO_LARGE)',
  422: 'the Idempotency-Key was used with a different request (IDEMPOTENCY_KEY_REUSED)',
  500: 'unexpected error; nothing about card data is in the answer (INTERNAL)',
  502: 'the bank refused or answered something we could not use (GATEWAY_*)',
  503: 'a dependency (database, bank) is unavailable; retry later',
};

export function errorResponse(status: number): {
  description: string;
  content: { 'application/json': { schema: { $ref: string } } };
} {
  return {
    description: ERROR_TEXT[status] ?? 'error',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } },
  };
}

export const ERRORS_EXTENSION = 'x-error-codes';

// Summary, description and the errors particular to this operation; they and the errors every
// operation can answer (400, 401/403 with a key, 413, 500) become responses in one place
// (setupSwagger), which leaves Nest's own success response in place.
export function ApiDoc(summary: string, description: string, errors: number[] = []) {
  return applyDecorators(ApiOperation({ summary, description }), ApiExtension(ERRORS_EXTENSION, errors));
}
