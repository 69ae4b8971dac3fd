import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashApiKey } from '../../../src/api-keys/api-keys.service';
import { query } from './rel-app';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'dist-bench', 'src', 'main.js');

// The app as production runs it — compiled, in its own process — so it can really be killed with
// SIGKILL. Built with the benchmarks' tsconfig into dist-bench/ (incremental: fast when nothing changed).
export function buildApp(): void {
  const res = spawnSync(process.execPath, [join(ROOT, 'bench', 'bench.js'), '--build-only'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (!existsSync(MAIN)) throw new Error(`build failed, ${MAIN} missing:\n${res.stdout}\n${res.stderr}`);
}

export async function insertClientKey(databaseUrl: string): Promise<string> {
  const key = `sk_test_${randomBytes(32).toString('base64url')}`;
  await query(
    databaseUrl,
    `INSERT INTO api_keys (name, kind, livemode, key_hash, prefix) VALUES ('reliability secret', 'secret', false, $1, $2)`,
    [hashApiKey(key), key.slice(0, 16)],
  );
  return key;
}

export interface ChildApp {
  url: string;
  process: ChildProcess;
  logs(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function startChildApp(env: Record<string, string>, logFile: string): Promise<ChildApp> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOG_FILE: logFile,
      DEV_API_KEYS: 'false',
      // the fixtures' backLink
      RETURN_URL_ORIGINS: 'https://shop.example.kz',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => {
    output = (output + c.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited before answering:\n${output}`);
    const up = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`app did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    process: child,
    logs: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    kill9: async () => {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => alive() && child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
