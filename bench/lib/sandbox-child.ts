import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../../src/sandbox';

// The ePay sandbox in its own process for the benchmarks, with a stopwatch around every request:
// the sandbox's own time per payment (token + cryptopay of the same invoice) is what we subtract
// from end-to-end latency to get our overhead. Reports over the IPC channel of child_process.fork.

type Route = 'token' | 'cryptopay' | 'status' | 'other';

const routeTimes: Record<Route, number[]> = { token: [], cryptopay: [], status: [], other: [] };
let paymentTimes: number[] = [];
const partial = new Map<string, { token?: number; cryptopay?: number }>();
let elu = performance.eventLoopUtilization();
let cpu = process.cpuUsage();

function routeOf(path: string): Route {
  const p = path.startsWith('/api/') ? path.slice(4) : path;
  if (p === '/oauth2/token' || p === '/epay2/oauth2/token') return 'token';
  if (p === '/payment/cryptopay') return 'cryptopay';
  if (p.startsWith('/check-status/')) return 'status';
  return 'other';
}

function invoiceOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const v = b.invoiceID ?? b.invoiceId ?? b.InvoiceID;
  return typeof v === 'string' ? v : undefined;
}

function record(route: Route, ms: number, invoice: string | undefined): void {
  routeTimes[route].push(ms);
  if (!invoice || (route !== 'token' && route !== 'cryptopay')) return;
  const entry = partial.get(invoice) ?? {};
  entry[route] = ms;
  if (entry.token !== undefined && entry.cryptopay !== undefined) {
    paymentTimes.push(entry.token + entry.cryptopay);
    partial.delete(invoice);
  } else {
    partial.set(invoice, entry);
  }
}

// startSandbox() creates its server with node:http's createServer; wrapping it here puts our
// listener in front of express without touching the sandbox's code.
const realCreateServer = http.createServer.bind(http) as (...args: unknown[]) => http.Server;
(http as unknown as { createServer: (...args: unknown[]) => http.Server }).createServer = (...args: unknown[]) => {
  const server = realCreateServer(...args);
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url?.startsWith('/_sandbox')) return;
    const started = performance.now();
    res.once('finish', () => {
      // the sandbox's body reader has stored the parsed body on the request by now
      const path = (req.url ?? '').split('?')[0];
      record(routeOf(path), performance.now() - started, invoiceOf((req as { body?: unknown }).body));
    });
  });
  return server;
};

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    port: Number(process.env.SANDBOX_PORT ?? 0),
    host: '127.0.0.1',
    latencyMs: Number(process.env.SANDBOX_LATENCY_MS ?? 0),
    postLink: { dropRate: Number(process.env.SANDBOX_POSTLINK_DROP_RATE ?? 0) },
  });
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'reset') {
      for (const k of Object.keys(routeTimes) as Route[]) routeTimes[k] = [];
      paymentTimes = [];
      partial.clear();
      elu = performance.eventLoopUtilization();
      cpu = process.cpuUsage();
      process.send?.({ type: 'reset-done' });
    } else if (msg.type === 'stats') {
      const used = process.cpuUsage(cpu);
      process.send?.({
        type: 'stats',
        payments: paymentTimes,
        routes: routeTimes,
        eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
        cpuMs: (used.user + used.system) / 1000,
      });
    }
  });
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop); // the benchmark died: do not linger
  process.send?.({ type: 'ready', url: sandbox.url });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
