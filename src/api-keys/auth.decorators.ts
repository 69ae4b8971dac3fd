import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiKeyRole } from './api-key-role.enum';
import type { AuthenticatedApiKey } from './api-keys.service';

export const PUBLIC_ROUTE = 'auth:public';
export const ROLES = 'auth:roles';

// No API key: health, metrics, docs, ePay callbacks and the 3-D Secure browser pages.
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
// Routes without @Roles are admin-only, so a forgotten decorator fails closed.
export const Roles = (...roles: ApiKeyRole[]) => SetMetadata(ROLES, roles);

export const CurrentApiKey = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthenticatedApiKey => ctx.switchToHttp().getRequest().apiKey,
);
