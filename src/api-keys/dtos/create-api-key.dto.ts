import { IsEnum, IsString, Length } from 'class-validator';
import { ApiKeyRole } from '../api-key-role.enum';

export class CreateApiKeyDto {
  @IsString()
  @Length(1, 100)
  name: string;

  @IsEnum(ApiKeyRole)
  role: ApiKeyRole;
}
