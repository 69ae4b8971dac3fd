import { ApiDoc } from '../common/openapi/api-doc.decorator';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { Capability, grants } from './access-policy';
import type { AuthenticatedApiKey } from './access-policy';
import { AdminActionsService, AdminActionView } from './admin-actions.service';
import { AdminRole, ApiKeyKind } from './api-key-kind.enum';
import { ApiKeysService } from './api-keys.service';
import { Access, CurrentApiKey } from './auth.decorators';
import { ApiKeyResponseDto, CreatedApiKeyResponseDto, WhoAmIResponseDto } from './dtos/api-key-response.dto';
import { CreateApiKeyDto, isLegacyRole } from './dtos/create-api-key.dto';
import { ListAdminActionsQueryDto } from './dtos/list-admin-actions-query.dto';
import { CreateCustomerSessionDto, CustomerSessionResponseDto } from './dtos/customer-session.dto';

@ApiTags('api-keys')
@Controller('v1')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly actionLog: AdminActionsService,
  ) {}

  @Access(Capability.WHOAMI)
  @ApiDoc(
    'Who am I',
    'The calling key: kind, admin role, the account a customer session is bound to, livemode and its capabilities.',
  )
  @Get('me')
  whoAmI(@CurrentApiKey() key: AuthenticatedApiKey): WhoAmIResponseDto {
    return {
      id: key.id,
      name: key.name,
      kind: key.kind,
      role: key.adminRole,
      accountId: key.accountId,
      livemode: key.livemode,
      capabilities: [...grants(key)],
    };
  }

  // A company server mints one for a signed-in customer; the browser then manages that account's cards.
  @Access(Capability.CREATE_CUSTOMER_SESSIONS)
  @ApiDoc(
    'Mint a customer session',
    "A browser-safe key (`cs_…`) bound to `accountId` for CUSTOMER_SESSION_TTL_MINUTES (default 15): hand it to that signed-in customer's browser to list, pay with and delete their saved cards. Secret keys only.",
  )
  @Post('customer-sessions')
  async createSession(
    @Body() dto: CreateCustomerSessionDto,
    @CurrentApiKey() key: AuthenticatedApiKey,
  ): Promise<CustomerSessionResponseDto> {
    const { key: sessionKey, record } = await this.keys.createCustomerSession(key, dto.accountId);
    return { id: record.id, key: sessionKey, accountId: record.accountId, expiresAt: record.expiresAt.toISOString() };
  }

  @Access(Capability.CREATE_CUSTOMER_SESSIONS)
  @ApiDoc('End a customer session', "The session's key stops working at once. Secret keys only.", [404])
  @Delete('customer-sessions/:id')
  @HttpCode(204)
  async revokeSession(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    if (!(await this.keys.revokeCustomerSession(id)))
      throw new AppException(ErrorCode.NOT_FOUND, 'No active customer session with this id');
  }

  // the back-office audit trail, newest first
  @Access(Capability.ADMIN_MANAGE)
  @ApiDoc(
    'Admin action log',
    'Every non-read request made with an admin key: who (key and name), what, on what, and the answer. Newest first. Admin owner.',
  )
  @Get('admin/actions')
  actions(@Query() query: ListAdminActionsQueryDto): Promise<AdminActionView[]> {
    return this.actionLog.list(query.limit ?? 100, query.before ? new Date(query.before) : undefined);
  }

  @Access(Capability.ADMIN_MANAGE)
  @ApiDoc('List API keys', 'Every key with kind, role, prefix and state (never the key itself). Admin owner.')
  @Get('admin/api-keys')
  async list(): Promise<ApiKeyResponseDto[]> {
    return (await this.keys.list()).map(ApiKeyResponseDto.from);
  }

  @Access(Capability.ADMIN_MANAGE)
  @ApiDoc(
    'Create an API key',
    '`kind` secret, publishable or admin (+ `role` viewer, operator or owner). The key is in this answer only. Admin owner.',
  )
  @Post('admin/api-keys')
  async create(
    @Body() dto: CreateApiKeyDto,
    @CurrentApiKey() actor: AuthenticatedApiKey,
  ): Promise<CreatedApiKeyResponseDto> {
    const legacy = dto.kind === undefined && isLegacyRole(dto.role);
    const kind = dto.kind ?? (dto.role === 'client' ? ApiKeyKind.SECRET : ApiKeyKind.ADMIN);
    let adminRole: AdminRole | undefined;
    if (kind === ApiKeyKind.ADMIN) {
      adminRole = legacy ? AdminRole.OWNER : ((dto.role as AdminRole | undefined) ?? AdminRole.VIEWER);
      if (isLegacyRole(adminRole))
        throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: role', [
          { field: 'role', message: 'with kind admin, role must be viewer, operator or owner' },
        ]);
    } else if (dto.role !== undefined && !legacy) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: role', [
        { field: 'role', message: 'only admin keys have a role' },
      ]);
    }
    const { key, record } = await this.keys.create(kind, dto.name, { adminRole, createdByKeyId: actor.id });
    return { ...ApiKeyResponseDto.from(record), key };
  }

  @Access(Capability.ADMIN_MANAGE)
  @ApiDoc(
    'Revoke an API key',
    'Every replica refuses it within 10 s; customer sessions it minted end too. Admin owner.',
    [404],
  )
  @Delete('admin/api-keys/:id')
  @HttpCode(204)
  async revoke(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentApiKey() actor: AuthenticatedApiKey,
  ): Promise<void> {
    if (!(await this.keys.revoke(id, actor)))
      throw new AppException(ErrorCode.NOT_FOUND, 'No active API key with this id');
  }
}
