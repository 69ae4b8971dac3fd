import { ApiKeyRole } from '../api-key-role.enum';
import type { ApiKeyEntity } from '../api-key.entity';

export class ApiKeyResponseDto {
  id: string;
  name: string;
  role: ApiKeyRole;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;

  static from(entity: ApiKeyEntity): ApiKeyResponseDto {
    return {
      id: entity.id,
      name: entity.name,
      role: entity.role,
      prefix: entity.prefix,
      createdAt: entity.createdAt.toISOString(),
      revokedAt: entity.revokedAt?.toISOString() ?? null,
    };
  }
}

export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  // shown once; only its hash is stored
  key: string;
}

export class WhoAmIResponseDto {
  id: string;
  name: string;
  role: ApiKeyRole;
}
