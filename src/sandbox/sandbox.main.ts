import { startSandbox } from './sandbox.server';
import type { CaptureMode } from './sandbox.types';

// Standalone entry: `npm run sandbox` (dist) — env SANDBOX_PORT (3100), SANDBOX_HOST, SANDBOX_LATENCY_MS, SANDBOX_CAPTURE_MODE.
async function main(): Promise<void> {
  const mode = (process.env.SANDBOX_CAPTURE_MODE ?? 'CHARGE').toUpperCase();
  if (mode !== 'CHARGE' && mode !== 'AUTH') throw new Error(`SANDBOX_CAPTURE_MODE must be CHARGE or AUTH, got ${mode}`);
  const sandbox = await startSandbox({
    port: Number(process.env.SANDBOX_PORT ?? 3100),
    host: process.env.SANDBOX_HOST ?? '127.0.0.1',
    latencyMs: Number(process.env.SANDBOX_LATENCY_MS ?? 0),
    captureMode: mode as CaptureMode,
    logger: (line) => console.log(`[epay-sandbox] ${line}`),
  });
  console.log(`ePay sandbox: ${sandbox.url}  (OAuth ${sandbox.oauthUrl}, control ${sandbox.url}/_sandbox)`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
