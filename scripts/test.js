#!/usr/bin/env node
// The whole suite: type-check, then every Jest project on the embedded PGlite database, then the
// end-to-end and PostgreSQL-only projects again on a real PostgreSQL server.
// PostgreSQL: TEST_DATABASE_URL, or the local server on 127.0.0.1:5432 when it answers.
// REQUIRE_POSTGRES=1 (set by CI) turns a missing server into a failure instead of a notice.
const { spawnSync } = require('node:child_process');
const { Client } = require('pg');

const jest = require.resolve('jest/bin/jest');
const nodeFlags = ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'];
const extra = process.argv.slice(2);

function run(label, args, env) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const res = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (res.status !== 0) {
    process.stdout.write(`\n${label}: FAILED (exit ${res.status})\n`);
    process.exit(res.status || 1);
  }
}

async function postgresUrl() {
  const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch (err) {
    return undefined;
  }
}

// The 3-D Secure test drives Debian's Chromium (no browser downloads here). Install it when we can.
function ensureChromium() {
  const { existsSync } = require('node:fs');
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(path)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    process.stdout.write('installing Debian chromium for the browser tests...\n');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  }
  if (!existsSync(path)) {
    process.stdout.write(`Chromium is needed at ${path} (Debian: apt-get install chromium, or set CHROMIUM_PATH)\n`);
    process.exit(1);
  }
}

(async () => {
  ensureChromium();
  run('typecheck', [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], {});
  run('typecheck checkout kit', [require.resolve('typescript/bin/tsc'), '-p', 'checkout/tsconfig.json'], {});
  run('unit + checkout kit + e2e on embedded PGlite', [...nodeFlags, jest, '--selectProjects', 'unit', 'checkout', 'e2e', ...extra], {
    TEST_DATABASE_URL: '',
  });
  const pg = await postgresUrl();
  if (!pg) {
    if (process.env.REQUIRE_POSTGRES === '1') {
      process.stdout.write('PostgreSQL is required (REQUIRE_POSTGRES=1) but did not answer\n');
      process.exit(1);
    }
    process.stdout.write('\nNOTICE: no PostgreSQL answered; the real-PostgreSQL part of the suite did not run\n');
    return;
  }
  run('e2e + PostgreSQL-only on real PostgreSQL', [...nodeFlags, jest, '--selectProjects', 'e2e', 'postgres', ...extra], {
    TEST_DATABASE_URL: pg,
  });
})();
