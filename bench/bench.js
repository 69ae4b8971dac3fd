#!/usr/bin/env node
// `npm run bench [-- <name>... --<setting>=<value>]`: compiles src + bench with bench/tsconfig.json into
// dist-bench/ (no global tools: the project's own TypeScript), copies the sandbox's key, then runs
// dist-bench/bench/run.js with the same arguments. `--no-build` reuses the last build; `--build-only`
// stops after the build (the reliability suite's crash test runs the app from dist-bench too).
const { spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, mkdirSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const out = join(root, 'dist-bench');

if (!args.includes('--no-build')) {
  process.stdout.write('[bench] compiling src + bench (tsc -p bench/tsconfig.json)...\n');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'bench', 'tsconfig.json')], {
    stdio: 'inherit',
    cwd: root,
  });
  if (tsc.status !== 0) {
    // tsc still emits JavaScript on type errors; a half-finished file elsewhere in the tree should not
    // block a benchmark, but it is said out loud
    process.stdout.write('[bench] WARNING: type errors (above); running what was emitted\n');
  }
  const keys = join(root, 'src', 'sandbox', 'keys');
  const target = join(out, 'src', 'sandbox', 'keys');
  mkdirSync(target, { recursive: true });
  for (const f of readdirSync(keys)) if (f.endsWith('.pem')) copyFileSync(join(keys, f), join(target, f));
}

const runner = join(out, 'bench', 'run.js');
if (args.includes('--build-only')) process.exit(existsSync(join(out, 'src', 'main.js')) ? 0 : 1);
if (!existsSync(runner)) {
  process.stderr.write(`[bench] ${runner} is missing: the build failed\n`);
  process.exit(1);
}
const res = spawnSync(process.execPath, [runner, ...args.filter((a) => a !== '--no-build' && a !== '--build-only')], { stdio: 'inherit', cwd: root });
process.exit(res.status ?? 1);
