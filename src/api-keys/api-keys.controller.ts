import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { ApiKeyRole } from './api-key-role.enum';
import { ApiKeysService } from './api-keys.service';
import type { AuthenticatedApiKey } from './api-keys.service';
import { CurrentApiKey, Roles } from './auth.decorators';
import { ApiKeyResponseDto, CreatedApiKeyResponseDto, WhoAmIResponseDto } from './dtos/api-key-response.dto';
import { CreateApiKeyDto } from './dtos/create-api-key.dto';

@ApiTags('api-keys')
@Controller('v1')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Roles(ApiKeyRole.CLIENT, ApiKeyRole.ADMIN)
  @Get('me')
  whoAmI(@CurrentApiKey() key: AuthenticatedApiKey): WhoAmIResponseDto {
    return { id: key.id, name: key.name, role: key.role };
  }

  @Get('admin/api-keys')
  async list(): Promise<ApiKeyResponseDto[]> {
    return (await this.keys.list()).map(ApiKeyResponseDto.from);
  }

  @Post('admin/api-keys')
  async create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    const { key, record } = await this.keys.create(dto.role, dto.name);
    return { ...ApiKeyResponseDto.from(record), key };
  }

  @Delete('admin/api-keys/:id')
  @HttpCode(204)
  async revoke(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    if (!(await this.keys.revoke(id))) throw new AppException(ErrorCode.NOT_FOUND, 'No active API key with this id');
  }
}
