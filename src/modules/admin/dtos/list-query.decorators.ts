import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';
import { Transform } from 'class-transformer';

// Query-string helpers shared by the admin list DTOs. Values are only reshaped here; the validators
// on each field say what is acceptable, so a bad value is a 400 naming the field.

// ?status=a&status=b or ?status=a,b → ['a', 'b']
export const ToStringList = () =>
  Transform(({ value }: { value: unknown }) => {
    if (value === undefined || value === '') return undefined;
    const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
    return parts.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
  });

export const ToInt = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value,
  );

export const ToBool = () =>
  Transform(({ value }: { value: unknown }) => {
    if (value === 'true' || value === '1') return true;
    return value === 'false' || value === '0' ? false : value;
  });

// A point in time without guesswork: a date (midnight UTC) or a date-time with its time zone.
// "2025-01-01T10:00" would be read in whatever zone the server runs in.
export const IsInstant = () =>
  applyDecorators(
    IsISO8601({ strict: true, strictSeparator: true }, { message: 'must be an ISO-8601 date or date-time' }),
    Matches(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}(:?\d{2})?))?$/, {
      message: 'must be a date (YYYY-MM-DD, UTC) or a date-time with a time zone',
    }),
  );
