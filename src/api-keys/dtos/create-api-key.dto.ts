import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { AdminRole, ApiKeyKind } from '../api-key-kind.enum';

export const CREATABLE_KINDS = [ApiKeyKind.SECRET, ApiKeyKind.PUBLISHABLE, ApiKeyKind.ADMIN] as const;
export type CreatableKind = (typeof CREATABLE_KINDS)[number];

export class CreateApiKeyDto {
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({
    enum: CREATABLE_KINDS,
    description: 'required unless the deprecated role client/admin is given',
  })
  @ValidateIf((o: CreateApiKeyDto) => o.kind !== undefined || !isLegacyRole(o.role))
  @IsIn(CREATABLE_KINDS)
  kind?: CreatableKind;

  @ApiPropertyOptional({
    enum: [...Object.values(AdminRole), 'client', 'admin'],
    description:
      'admin keys: viewer, operator or owner (default viewer). Deprecated: client (= kind secret) or admin (= admin owner) without kind',
  })
  @IsOptional()
  @IsIn([...Object.values(AdminRole), 'client', 'admin'])
  role?: AdminRole | 'client' | 'admin';
}

export function isLegacyRole(role: unknown): role is 'client' | 'admin' {
  return role === 'client' || role === 'admin';
}
