import { type ChildProcess, fork, spawn, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';

// Child processes (sandbox, app replicas, baseline) are tracked so that every exit path of the
// benchmark — success, error, Ctrl-C — kills them; nothing is left running on the shared machine.
const children = new Set<ChildProcess>();
let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping child processes\n`);
      process.exit(130);
    });
  }
}

export interface Child {
  process: ChildProcess;
  pid: number;
  // last lines of stdout/stderr, for error messages
  output(): string;
  stop(timeoutMs?: number): Promise<void>;
  kill9(): Promise<void>;
  exited: Promise<number | null>;
}

function track(child: ChildProcess, name: string): Child {
  installExitHooks();
  children.add(child);
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(chunk.toString('utf8'));
    while (tail.length > 50) tail.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    process: child,
    pid: child.pid ?? -1,
    output: () => `[${name}] ${tail.join('').slice(-4000)}`,
    exited,
    async stop(timeoutMs = 10_000) {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => alive() && child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
    async kill9() {
      if (!alive()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export function spawnNode(
  name: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: SpawnOptions = {},
  nodeArgs: string[] = [],
): Child {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  return track(child, name);
}

// A child with an IPC channel (the sandbox reports its own timings over it).
export function forkNode(name: string, script: string, env: NodeJS.ProcessEnv): Child {
  const child = fork(script, [], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  return track(child, name);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitForHttp(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.process.exitCode !== null) throw new Error(`process exited before ${url} answered:\n${child.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${child.output()}`);
    await sleep(200);
  }
}

// --- CPU accounting from /proc (Linux): which process saturates a core tells what limits throughput.
const CLK_TCK = 100;

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0; // the process is gone (a backend that disconnected): it counts as idle
  }
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((s, x) => s + x, 0);
  const idle = v[3] + (v[4] ?? 0);
  return { busy: total - idle, total };
}

export interface CpuReport {
  // percent of one core per labelled group; "machine" is the whole machine in cores-percent (200 = 2 cores busy)
  [label: string]: number;
}

export class CpuMeter {
  private startWall = 0;
  private startProc = new Map<string, number>();
  private startMachine = { busy: 0, total: 0 };
  private startSelf = process.cpuUsage();

  constructor(private readonly groups: () => Record<string, number[]>) {}

  start(): void {
    this.startWall = performance.now();
    this.startMachine = machineTicks();
    this.startSelf = process.cpuUsage();
    this.startProc = new Map(
      Object.entries(this.groups()).map(([label, pids]) => [label, pids.reduce((s, p) => s + processTicks(p), 0)]),
    );
  }

  stop(): CpuReport {
    const seconds = (performance.now() - this.startWall) / 1000;
    const report: CpuReport = {};
    for (const [label, pids] of Object.entries(this.groups())) {
      const ticks = pids.reduce((s, p) => s + processTicks(p), 0) - (this.startProc.get(label) ?? 0);
      report[label] = Math.round((ticks / CLK_TCK / seconds) * 100);
    }
    const self = process.cpuUsage(this.startSelf);
    report['load generator'] = Math.round(((self.user + self.system) / 1e6 / seconds) * 100);
    const m = machineTicks();
    report.machine = Math.round(
      ((m.busy - this.startMachine.busy) / Math.max(1, m.total - this.startMachine.total)) *
        availableParallelism() *
        100,
    );
    // everything else on the machine (other people's tests on a shared box): the noise next to a figure
    const ours = Object.entries(report)
      .filter(([k]) => k !== 'machine')
      .reduce((sum, [, v]) => sum + v, 0);
    report.others = Math.max(0, report.machine - ours);
    return report;
  }
}

export function formatCpu(report: CpuReport): string {
  return Object.entries(report)
    .map(([k, v]) => `${k} ${v}%`)
    .join(', ');
}
