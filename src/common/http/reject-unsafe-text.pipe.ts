import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { AppException } from '../errors/app.exception';
import { ErrorCode } from '../errors/error-code.enum';
import { findUnsafeText } from '../validation/text-safety.util';

// Runs before validation on every body, query and path parameter: a NUL or a lone surrogate would
// otherwise surface as a database or encoder error (a 500) instead of a 400 naming the field.
@Injectable()
export class RejectUnsafeTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const field = findUnsafeText(value, metadata.type === 'param' && metadata.data ? metadata.data : '');
    if (field) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, `Invalid request: ${field}`, [
        { field, message: 'contains a NUL character or invalid Unicode' },
      ]);
    }
    return value;
  }
}
