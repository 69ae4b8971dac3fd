import { join } from 'node:path';
import { type Child, forkNode } from './processes';

export interface SandboxStats {
  // sandbox time of each payment: its token request + its cryptopay request (ms)
  payments: number[];
  routes: Record<'token' | 'cryptopay' | 'status' | 'other', number[]>;
  // share of wall time the sandbox's event loop was busy since the last reset (1 = saturated)
  eventLoopUtilization: number;
  cpuMs: number;
}

export interface SandboxProcess {
  url: string;
  child: Child;
  resetStats(): Promise<void>;
  stats(): Promise<SandboxStats>;
  // the sandbox's control API over HTTP (/_sandbox/...)
  control<T = unknown>(path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

function request<T>(child: Child, message: { type: string }, expect: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not answer ${message.type}`)), 30_000);
    const onMessage = (msg: { type: string }) => {
      if (msg.type !== expect) return;
      clearTimeout(timer);
      child.process.off('message', onMessage);
      resolve(msg as T);
    };
    child.process.on('message', onMessage);
    child.process.send(message);
  });
}

export async function startSandboxProcess(options: {
  latencyMs: number;
  postLinkDropRate?: number;
}): Promise<SandboxProcess> {
  const child = forkNode('sandbox', join(__dirname, 'sandbox-child.js'), {
    ...process.env,
    SANDBOX_LATENCY_MS: String(options.latencyMs),
    SANDBOX_POSTLINK_DROP_RATE: String(options.postLinkDropRate ?? 0),
  });
  const ready = await Promise.race([
    request<{ url: string }>(child, { type: 'noop' }, 'ready'),
    child.exited.then((code) => {
      throw new Error(`sandbox exited with ${code}:\n${child.output()}`);
    }),
  ]);
  const url = ready.url;
  return {
    url,
    child,
    resetStats: async () => {
      await request(child, { type: 'reset' }, 'reset-done');
    },
    stats: () => request<SandboxStats>(child, { type: 'stats' }, 'stats'),
    control: async <T>(path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${url}/_sandbox${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`sandbox control ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    stop: () => child.stop(),
  };
}
