import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { SUPPORTED_CURRENCIES } from '../money/money.util';

// Largest amount we accept: 10 billion in major units keeps every sum a safe integer.
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

// An amount in minor units: a positive integer, never a decimal (12.5 is refused, not rounded).
export const IsMinorAmount = (opts: { min?: number; optional?: boolean } = {}) =>
  applyDecorators(
    ApiProperty({
      type: 'integer',
      minimum: opts.min ?? 1,
      maximum: MAX_AMOUNT_MINOR,
      required: !opts.optional,
      description: 'minor units (tiyn for KZT)',
    }),
    ...(opts.optional ? [IsOptional()] : []),
    IsInt({ message: 'must be an integer number of minor units (e.g. 10050 for 100.50 KZT)' }),
    Min(opts.min ?? 1),
    Max(MAX_AMOUNT_MINOR),
  );

export const IsCurrencyCode = () =>
  applyDecorators(
    ApiProperty({ enum: SUPPORTED_CURRENCIES, default: 'KZT', required: false }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value)),
    IsString(),
    IsIn(SUPPORTED_CURRENCIES, { message: `must be one of ${SUPPORTED_CURRENCIES.join(', ')}` }),
  );
