import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AdminRole, ApiKeyKind } from '../api-key-kind.enum';
import type { ApiKeyEntity } from '../api-key.entity';

export class ApiKeyResponseDto {
  id: string;
  name: string;
  @ApiProperty({ enum: [ApiKeyKind.SECRET, ApiKeyKind.PUBLISHABLE, ApiKeyKind.ADMIN] })
  kind: ApiKeyKind;
  @ApiPropertyOptional({ enum: AdminRole, nullable: true, description: 'admin keys only' })
  role: AdminRole | null;
  livemode: boolean;
  @ApiProperty({ description: 'first characters of the key, to recognise it' })
  prefix: string;
  @ApiProperty({ description: 'an epk_ key from before key kinds: works, but replace it' })
  deprecated: boolean;
  createdAt: string;
  createdByKeyId: string | null;
  revokedAt: string | null;
  revokedByKeyId: string | null;

  static from(entity: ApiKeyEntity): ApiKeyResponseDto {
    return {
      id: entity.id,
      name: entity.name,
      kind: entity.kind,
      role: entity.adminRole,
      livemode: entity.livemode,
      prefix: entity.prefix,
      deprecated: entity.prefix.startsWith('epk_'),
      createdAt: entity.createdAt.toISOString(),
      createdByKeyId: entity.createdByKeyId,
      revokedAt: entity.revokedAt?.toISOString() ?? null,
      revokedByKeyId: entity.revokedByKeyId,
    };
  }
}

export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  @ApiProperty({ description: 'the key itself: shown once, only its hash is stored' })
  key: string;
}

export class WhoAmIResponseDto {
  id: string;
  name: string;
  @ApiProperty({ enum: ApiKeyKind })
  kind: ApiKeyKind;
  @ApiPropertyOptional({ enum: AdminRole, nullable: true })
  role: AdminRole | null;
  @ApiPropertyOptional({ nullable: true, description: 'customer sessions: the account they are bound to' })
  accountId: string | null;
  livemode: boolean;
  @ApiProperty({ description: 'what this key may do (capabilities of access-policy)' })
  capabilities: string[];
}
