import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AuthenticatedApiKey, BROWSER_KINDS, Capability, mayUse, principalOf, principalsFor } from './access-policy';
import { ApiKeyKind } from './api-key-kind.enum';
import { ApiKeysService } from './api-keys.service';
import { ACCESS_RULE, AccessRule, CLIENT_SECRET_HEADER, PUBLIC_ROUTE } from './auth.decorators';
import { ClientSecretService } from './client-secret.service';

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

// Routes with no rule: owner admin keys only, so a forgotten decorator fails closed.
const DEFAULT_RULE: AccessRule = { capabilities: [Capability.ADMIN_MANAGE] };

// The one place where a caller is checked against a route: its kind's capabilities, the account a
// customer session is bound to, the client secret a browser key proves a payment with, and body
// flags that need more than the route does. Services never re-check who is calling.
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly clientSecrets: ClientSecretService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { apiKey?: AuthenticatedApiKey }>();
    const raw = extractApiKey(req);
    if (!raw)
      throw new AppException(ErrorCode.UNAUTHENTICATED, 'API key required (Authorization: Bearer <key> or X-API-Key)');
    const key = raw.length <= 200 ? await this.keys.authenticate(raw) : null;
    if (!key) throw new AppException(ErrorCode.UNAUTHENTICATED, 'Invalid, expired or revoked API key');
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets) ?? DEFAULT_RULE;
    if (!rule.capabilities.some((c) => mayUse(key, c))) {
      throw new AppException(
        ErrorCode.FORBIDDEN,
        `This endpoint is not available to ${principalOf(key).replace(':', ' ')} keys (allowed: ${principalsFor(rule.capabilities).join(', ')})`,
      );
    }
    if (rule.ownResource && BROWSER_KINDS.has(key.kind)) this.checkClientSecret(req, rule.ownResource);
    if (rule.account && key.kind === ApiKeyKind.CUSTOMER_SESSION) this.checkAccount(req, rule.account, key);
    for (const [field, capability] of Object.entries(rule.bodyFlags ?? {})) {
      if (bodyOf(req)[field] === true && !mayUse(key, capability)) {
        throw new AppException(ErrorCode.FORBIDDEN, `${field} is not available to ${key.kind} keys`, [
          { field, message: 'needs a secret key or a customer session' },
        ]);
      }
    }
    req.apiKey = key;
    return true;
  }

  private checkClientSecret(req: Request, resource: 'payment' | 'transfer'): void {
    const header = req.headers[CLIENT_SECRET_HEADER];
    const secret = typeof header === 'string' ? header.trim() : undefined;
    const id = String(req.params.id ?? '');
    if (!secret)
      throw new AppException(ErrorCode.FORBIDDEN, `Browser keys must send the ${resource}'s clientSecret`, [
        { field: 'X-Client-Secret', message: 'required with publishable keys and customer sessions' },
      ]);
    if (!this.clientSecrets.verify(resource, id, secret))
      throw new AppException(ErrorCode.FORBIDDEN, `X-Client-Secret does not belong to this ${resource}`, [
        { field: 'X-Client-Secret', message: `not the clientSecret of ${resource} ${id}` },
      ]);
  }

  // Absent accountId is left to validation (every such DTO requires it, so it answers 400).
  private checkAccount(req: Request, source: 'params' | 'body', key: AuthenticatedApiKey): void {
    const value = source === 'params' ? req.params.accountId : bodyOf(req).accountId;
    if (source === 'body' && (value === undefined || value === null)) return;
    if (value !== key.accountId)
      throw new AppException(ErrorCode.FORBIDDEN, 'This customer session may only act for its own account', [
        { field: 'accountId', message: 'not the account of this customer session' },
      ]);
  }
}

function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
