import express, { type NextFunction, type Request, type Response } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acsRoutes } from './sandbox-acs.routes';
import { bodyReader } from './sandbox-body.util';
import { cardsRoutes } from './sandbox-cards.routes';
import { createControl } from './sandbox-control.service';
import { controlRoutes } from './sandbox-control.routes';
import { loadKeys } from './sandbox-keys.util';
import { oauthRoutes } from './sandbox-oauth.routes';
import { operationsRoutes } from './sandbox-operations.routes';
import { p2pRoutes } from './sandbox-p2p.routes';
import { paymentRoutes } from './sandbox-payment.routes';
import { PostLinkDispatcher } from './sandbox-postlink.dispatcher';
import { registryRoutes } from './sandbox-registry.routes';
import { SandboxStateStore } from './sandbox-state.store';
import { statusRoutes } from './sandbox-status.routes';
import { countAndDelay, injectFaults, SandboxTimers } from './sandbox-traffic.middleware';
import { widgetRoutes } from './sandbox-widget.routes';
import type { SandboxContext } from './sandbox.context';
import type { SandboxControl, SandboxOptions, SeedQuirks } from './sandbox.types';

export interface RunningSandbox {
  url: string; // API base, e.g. http://127.0.0.1:43210 (every ePay route is also served under /api/)
  oauthUrl: string; // `${url}/oauth2/token` (also /epay2/oauth2/token)
  apiUrl: string; // same as url
  state: SandboxStateStore;
  control: SandboxControl;
  close(): Promise<void>;
}

export const SANDBOX_DEFAULTS = {
  host: '127.0.0.1',
  clientId: 'test',
  clientSecret: 'yF587AV9Ms94qN2QShFzVR3vFnWkhjbAK3sG', // the bank's public test credentials (S2, S3)
  terminalId: '67e34d63-102f-4bd1-898e-370781d0074d',
  tokenTtlSeconds: 7200,
  pendingStatusChecks: 2,
  postLinkTimeoutMs: 5000,
} as const;

function seedQuirks(q: SandboxOptions['seedQuirks']): Required<SeedQuirks> {
  const all = q === 'all';
  const given = typeof q === 'object' ? q : {};
  return {
    postLinkWithoutSecretHash: all || (given.postLinkWithoutSecretHash ?? false),
    p2pSeedPathOnly: all || (given.p2pSeedPathOnly ?? false),
    literalReplies: all || (given.literalReplies ?? false),
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const log = options.logger ?? (() => undefined);
  const store = new SandboxStateStore({
    clientId: options.clientId ?? SANDBOX_DEFAULTS.clientId,
    clientSecret: options.clientSecret ?? SANDBOX_DEFAULTS.clientSecret,
    terminalId: options.terminalId ?? SANDBOX_DEFAULTS.terminalId,
    tokenTtlSeconds: options.tokenTtlSeconds ?? SANDBOX_DEFAULTS.tokenTtlSeconds,
    expiresInAsString: options.expiresInAsString ?? true,
    quirks: seedQuirks(options.seedQuirks),
    initial: {
      captureMode: options.captureMode ?? 'CHARGE',
      latencyMs: options.latencyMs ?? 0,
      pendingStatusChecks: SANDBOX_DEFAULTS.pendingStatusChecks,
      dedupeExternalId: options.dedupeExternalId ?? false,
      postLink: {
        delayMs: options.postLink?.delayMs ?? 0,
        duplicates: options.postLink?.duplicates ?? 0,
        dropRate: options.postLink?.dropRate ?? 0,
        timeoutMs: options.postLink?.timeoutMs ?? SANDBOX_DEFAULTS.postLinkTimeoutMs,
      },
    },
  });
  const ctx: SandboxContext = {
    store,
    keys: loadKeys(options.privateKeyPem),
    postLinks: new PostLinkDispatcher(store, log),
    log,
  };
  const control = createControl(ctx);
  const timers = new SandboxTimers();
  const app = buildApp(ctx, control, timers);

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? SANDBOX_DEFAULTS.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const host =
    address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;
  log(`ePay sandbox listening on ${url}`);

  return {
    url,
    apiUrl: url,
    oauthUrl: `${url}/oauth2/token`,
    state: store,
    control,
    close: () => closeServer(server, ctx, timers),
  };
}

function buildApp(ctx: SandboxContext, control: SandboxControl, timers: SandboxTimers): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', false);

  app.use('/_sandbox', bodyReader, controlRoutes(control));

  // Every ePay route answers at "/x" and "/api/x" (old test host carries /api). Rewriting once keeps a single
  // pass through the middleware (a second mount would count, delay and read the body twice).
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.url.startsWith('/api/')) req.url = req.url.slice(4);
    next();
  });
  app.use(countAndDelay(ctx, timers), bodyReader, injectFaults(ctx, timers));
  for (const routes of [
    oauthRoutes,
    paymentRoutes,
    acsRoutes,
    p2pRoutes,
    statusRoutes,
    operationsRoutes,
    registryRoutes,
    cardsRoutes,
    widgetRoutes,
  ]) {
    app.use(routes(ctx));
  }
  app.use((_req: Request, res: Response) => void res.status(404).json({ code: 404, message: 'not found' }));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    ctx.log(`internal error: ${err instanceof Error ? err.message : String(err)}`);
    if (!res.headersSent) res.status(500).json({ code: 500, message: 'internal sandbox error' });
  });
  return app;
}

async function closeServer(server: Server, ctx: SandboxContext, timers: SandboxTimers): Promise<void> {
  timers.clearAll();
  ctx.postLinks.close();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections(); // hanging "timeout" faults and keep-alive sockets
  await closed;
}
