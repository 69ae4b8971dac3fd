import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { ApiKeyRole } from './api-key-role.enum';
import { ApiKeysService, AuthenticatedApiKey } from './api-keys.service';
import { PUBLIC_ROUTE, ROLES } from './auth.decorators';

export function extractApiKey(req: Request): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (match) return match[1];
  }
  return undefined;
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { apiKey?: AuthenticatedApiKey }>();
    const raw = extractApiKey(req);
    if (!raw)
      throw new AppException(ErrorCode.UNAUTHENTICATED, 'API key required (Authorization: Bearer <key> or X-API-Key)');
    const key = raw.length <= 200 ? await this.keys.authenticate(raw) : null;
    if (!key) throw new AppException(ErrorCode.UNAUTHENTICATED, 'Invalid or revoked API key');
    const roles = this.reflector.getAllAndOverride<ApiKeyRole[]>(ROLES, targets) ?? [ApiKeyRole.ADMIN];
    if (!roles.includes(key.role)) {
      throw new AppException(ErrorCode.FORBIDDEN, `This endpoint needs a key with role: ${roles.join(' or ')}`);
    }
    req.apiKey = key;
    return true;
  }
}
