import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKey } from '../../src/api-keys/api-keys.service';
import { str } from './options';
import { withClient } from './pg';
import { type Child, freePort, spawnNode, waitForHttp } from './processes';

export interface AppProcess {
  url: string;
  port: number;
  child: Child;
  logFile: string;
  stop(): Promise<void>;
}

// An API key row written straight into api_keys (what `npm run api-keys -- create` stores: the
// SHA-256 of the key, never the key).
export async function insertApiKey(databaseUrl: string, role: 'client' | 'admin'): Promise<string> {
  const key = `epk_${role === 'admin' ? 'admin' : 'live'}_${randomBytes(32).toString('base64url')}`;
  await withClient(databaseUrl, (c) =>
    c.query(`INSERT INTO api_keys (name, role, key_hash, prefix) VALUES ($1, $2, $3, $4)`, [
      `bench ${role}`,
      role,
      hashApiKey(key),
      key.slice(0, 16),
    ]),
  );
  return key;
}

// The built service (dist-bench/src/main.js) in its own process, as production runs it.
export async function startAppProcess(options: {
  databaseUrl: string;
  sandboxUrl: string;
  env?: Record<string, string>;
  port?: number;
  name?: string;
}): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  const logDir = mkdtempSync(join(tmpdir(), 'epay-bench-app-'));
  const logFile = join(logDir, 'app.log');
  const main = join(__dirname, '..', '..', 'src', 'main.js');
  const child = spawnNode(
    options.name ?? 'app',
    main,
    [],
    {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: options.databaseUrl,
      EPAY_ENV: 'sandbox',
      EPAY_OAUTH_URL: `${options.sandboxUrl}/oauth2/token`,
      EPAY_API_URL: options.sandboxUrl,
      POLLER_ENABLED: 'false',
      OUTBOUND_EVENTS_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      LOG_FILE: logFile,
      DEV_API_KEYS: 'false',
      ...options.env,
      // e.g. --app-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the service spends CPU
    },
    {},
    str('app-node-args', '').split(' ').filter(Boolean),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/health`, child);
  } catch (err) {
    await child.stop();
    rmSync(logDir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    port,
    child,
    logFile,
    stop: async () => {
      await child.stop();
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
