import { Router, type Request, type Response } from 'express';
import { str, type Json } from './sandbox-body.util';
import { newAccessToken } from './sandbox-format.util';
import { toMinor } from './sandbox-money.util';
import type { SandboxContext } from './sandbox.context';
import type { TokenRecord } from './sandbox.types';

// POST /oauth2/token and /epay2/oauth2/token (§1). Body: urlencoded, multipart or JSON; keys case-insensitive.

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

export function oauthRoutes(ctx: SandboxContext): Router {
  const r = Router();
  const { config } = ctx.store;

  const issue = (req: Request, res: Response): void => {
    const body = req.body as Json;
    const grantType = str(body, 'grant_type') ?? '';
    if (grantType !== 'client_credentials' && grantType !== 'password') {
      return oauthError(res, 400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    }
    if (str(body, 'client_id') !== config.clientId || str(body, 'client_secret') !== config.clientSecret) {
      return oauthError(res, 401, 'invalid_client', 'Client authentication failed');
    }
    // Password grant (registry / invoice links): any non-empty user and password.
    if (grantType === 'password' && (!str(body, 'username') || !str(body, 'password'))) {
      return oauthError(res, 400, 'invalid_grant', 'username and password are required');
    }
    const rawAmount = str(body, 'amount');
    const amountMinor = rawAmount === undefined || rawAmount === '' ? undefined : toMinor(rawAmount);
    if (rawAmount && amountMinor === undefined)
      return oauthError(res, 400, 'invalid_request', 'amount is not a valid number');
    const scope = str(body, 'scope') ?? '';
    const blank = (v: string | undefined) => (v === '' ? undefined : v);
    const token: TokenRecord = {
      accessToken: newAccessToken(),
      grantType,
      scope,
      clientId: config.clientId,
      terminal: blank(str(body, 'terminal')),
      invoiceId: blank(str(body, 'invoiceID')),
      amountMinor,
      currency: blank(str(body, 'currency', 'curency')), // S1 misspells it
      postLink: blank(str(body, 'postLink')),
      failurePostLink: blank(str(body, 'failurePostLink')),
      secretHash: blank(str(body, 'secret_hash')),
      expiresAt: Date.now() + config.tokenTtlSeconds * 1000,
    };
    ctx.store.addToken(token);
    ctx.log(
      `token issued scope="${scope}" invoice=${token.invoiceId ?? '-'} terminal=${token.terminal ? 'yes' : 'no'}`,
    );
    res.status(200).json({
      access_token: token.accessToken,
      // The docs print a number; the SDK and clients see a string (API.md §1). Configurable.
      expires_in: config.expiresInAsString ? String(config.tokenTtlSeconds) : config.tokenTtlSeconds,
      refresh_token: '',
      scope,
      token_type: 'Bearer',
    });
  };

  r.post('/oauth2/token', issue);
  r.post('/epay2/oauth2/token', issue);
  r.get('/public.rsa', (_req, res) => {
    res.status(200).type('text/plain').send(ctx.keys.publicKeyPem);
  });
  return r;
}
