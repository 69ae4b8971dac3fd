import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiHeader } from '@nestjs/swagger';
import { Capability, principalsFor } from './access-policy';
import type { AuthenticatedApiKey } from './access-policy';

export const PUBLIC_ROUTE = 'auth:public';
export const ACCESS_RULE = 'auth:access';
export const CLIENT_SECRET_HEADER = 'x-client-secret';

export type OwnResource = 'payment' | 'transfer';

export interface AccessRule {
  // any one of them lets the caller in
  capabilities: Capability[];
  // customer sessions: the accountId in the path or body must be the session's
  account?: 'params' | 'body';
  // browser keys (publishable, customer session) must prove the resource in :id with X-Client-Secret
  ownResource?: OwnResource;
  // body fields that, when true, need one more capability (e.g. saveCard needs use_saved_cards)
  bodyFlags?: Record<string, Capability>;
}

// No API key: health, metrics, docs, ePay callbacks and the 3-D Secure browser pages.
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

// What a route (or every route of a controller) needs. Routes without a rule need admin_manage
// (owner admin keys), so a forgotten decorator fails closed.
export const Access = (capabilities: Capability | Capability[], options: Omit<AccessRule, 'capabilities'> = {}) => {
  const rule: AccessRule = { capabilities: ([] as Capability[]).concat(capabilities), ...options };
  const decorators = [SetMetadata(ACCESS_RULE, rule), ApiExtension('x-allowed-keys', principalsFor(rule.capabilities))];
  if (rule.ownResource)
    decorators.push(
      ApiHeader({
        name: 'X-Client-Secret',
        required: false,
        description: `the ${rule.ownResource}'s clientSecret; required with publishable keys and customer sessions`,
      }),
    );
  return applyDecorators(...decorators);
};

export const CurrentApiKey = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthenticatedApiKey =>
    ctx.switchToHttp().getRequest<{ apiKey: AuthenticatedApiKey }>().apiKey,
);
