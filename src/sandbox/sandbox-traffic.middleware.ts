import type { NextFunction, Request, Response } from 'express';
import { routeNameOf } from './sandbox-routes.constant';
import type { SandboxContext } from './sandbox.context';
import type { ActiveFault } from './sandbox.types';

// Timers the sandbox owns, so close() can cancel pending latency/fault actions.
export class SandboxTimers {
  private readonly timers = new Set<NodeJS.Timeout>();

  after(ms: number, fn: () => void): void {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  clearAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

// Counts every ePay request per route, then adds latency. Runs before the body is read.
export function countAndDelay(ctx: SandboxContext, timers: SandboxTimers) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const route = routeNameOf(req.path);
    res.locals.route = route;
    ctx.store.countRequest(route);
    const started = Date.now();
    // Paths only: query strings and bodies may carry amounts/tokens; card data never reaches the log.
    res.on('finish', () =>
      ctx.log(
        `${req.method} ${req.originalUrl.split('?')[0]} [${route}] -> ${res.statusCode} ${Date.now() - started}ms`,
      ),
    );
    timers.after(ctx.store.settings.latencyMs, next);
  };
}

// Applies the first matching injected fault (after the body has been read).
export function injectFaults(ctx: SandboxContext, timers: SandboxTimers) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const fault = ctx.store.takeFault(String(res.locals.route), req.path);
    if (!fault) return next();
    ctx.log(`fault #${fault.id} ${fault.type} on ${req.method} ${req.path}`);
    applyFault(fault, req, res, next, timers);
  };
}

function applyFault(fault: ActiveFault, req: Request, res: Response, next: NextFunction, timers: SandboxTimers): void {
  const later = (fn: () => void) => timers.after(fault.delayMs, fn);
  switch (fault.type) {
    case 'timeout':
      // Never answer; with delayMs, drop the connection after that long. close() destroys hanging sockets.
      if (fault.delayMs > 0) later(() => req.socket.destroy());
      return;
    case 'reset':
      return later(() => req.socket.destroy());
    case 'http500':
      return later(() => void res.status(500).json({ code: 500, message: 'Internal Server Error' }));
    case 'http502':
      return later(() => void res.status(502).type('html').send(NGINX_502));
    case 'malformed':
      return later(
        () => void res.status(200).type('application/json').send('{"code":0,"message":"OK","id":"7943816b-58a8-47f6'),
      );
    case 'commit-then-500':
    case 'commit-then-timeout':
      // Let the handler do its work (money moves, postLink fires), then lie about the answer. end() is the
      // choke point of send/json/redirect, so the real reply is swallowed whatever the handler used.
      {
        const realEnd = res.end;
        res.end = ((): Response => {
          if (fault.type === 'commit-then-500') {
            later(() => {
              res.end = realEnd;
              for (const h of res.getHeaderNames()) res.removeHeader(h);
              res.statusCode = 500;
              res.setHeader('content-type', 'application/json; charset=utf-8');
              res.end(JSON.stringify({ code: 500, message: 'Internal Server Error' }));
            });
          } else if (fault.delayMs > 0) {
            later(() => req.socket.destroy());
          }
          return res;
        }) as Response['end'];
      }
      return next();
  }
}
