import { Router, type Request, type Response } from 'express';
import { field, str, type Json } from './sandbox-body.util';
import type { CaptureMode, FaultSpec, PostLinkOptions, SandboxControl } from './sandbox.types';

// /_sandbox/* : the SandboxControl operations over HTTP (JSON in, JSON out). Not part of the bank's API,
// never delayed or faulted, never counted.
export function controlRoutes(control: SandboxControl): Router {
  const r = Router();
  const body = (req: Request) => (req.body ?? {}) as Json;
  const run = (fn: (req: Request) => unknown) => async (req: Request, res: Response) => {
    try {
      const result = await fn(req);
      res.status(200).json(result === undefined ? { ok: true } : result);
    } catch (err) {
      res.status(400).json({ error: err instanceof Error ? err.message : String(err) });
    }
  };
  const both = (path: string, fn: (req: Request) => unknown) => {
    r.get(path, run(fn));
    r.post(path, run(fn));
  };

  r.post(
    '/reset',
    run(() => control.reset()),
  );
  r.post(
    '/capture-mode',
    run((req) => control.setCaptureMode((str(body(req), 'mode', 'captureMode') ?? '') as CaptureMode)),
  );
  r.post(
    '/dedupe-external-id',
    run((req) => control.setDedupeExternalId(field(body(req), 'on') !== false)),
  );
  r.post(
    '/latency',
    run((req) => control.setLatency(Number(str(body(req), 'ms', 'latencyMs') ?? 0))),
  );
  r.post(
    '/postlink',
    run((req) => control.setPostLink(body(req) as PostLinkOptions)),
  );
  r.post(
    '/faults',
    run((req) => control.addFault(body(req) as unknown as FaultSpec)),
  );
  r.post(
    '/faults/clear',
    run(() => control.clearFaults()),
  );
  r.delete(
    '/faults',
    run(() => control.clearFaults()),
  );
  both('/faults/list', () => control.listFaults());
  r.post(
    '/status-override',
    run((req) => control.setStatusOverride(str(body(req), 'invoiceId') ?? '', str(body(req), 'resultCode') ?? null)),
  );
  r.post(
    '/expire-auth',
    run((req) => control.expireAuth(str(body(req), 'invoiceId') ?? '')),
  );
  r.post(
    '/pending-checks',
    run((req) => control.setPendingStatusChecks(Number(str(body(req), 'n', 'checks') ?? 0))),
  );
  r.post(
    '/resend-postlink',
    run((req) => control.resendPostLink(str(body(req), 'invoiceId') ?? '')),
  );
  r.post(
    '/deliver-out-of-order',
    run((req) => control.deliverOutOfOrder(str(body(req), 'invoiceId') ?? '')),
  );
  r.post(
    '/flush-postlinks',
    run(() => control.flushPostLinks()),
  );
  both('/transactions', () => control.listTransactions());
  both('/transactions/:invoiceId', (req) => control.getTransaction(String(req.params.invoiceId)) ?? null);
  both('/transfers', () => control.listTransfers());
  both('/transfers/:orderId', (req) => control.getTransfer(String(req.params.orderId)) ?? null);
  both('/deliveries', () => control.getDeliveries());
  both('/requests', () => control.requestCounts());
  both('/requests/:route', (req) => ({
    route: req.params.route,
    count: control.requestCount(String(req.params.route)),
  }));
  return r;
}
