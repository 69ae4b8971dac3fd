import 'reflect-metadata';
import { adminPaymentsSearchBenchmark } from './admin-search.bench';
import { cryptogramBenchmark } from './cryptogram.bench';
import { generateDataBenchmark } from './generate-data';
import { cleanupDatasets } from './lib/dataset';
import { benchNames, bool } from './lib/options';
import { serverVersion } from './lib/pg';
import { log, machine, printTable, RESULTS_FILE, saveResult } from './lib/report';
import { paymentApiBenchmark } from './payment-api.bench';
import { postLinkBenchmark } from './postlink.bench';
import { reconciliationBenchmark } from './reconciliation.bench';

export interface Benchmark {
  name: string;
  description: string;
  // returns the figures stored in bench/results.json under its name
  run(): Promise<Record<string, unknown>>;
}

// In the order `npm run bench` runs them: the data-heavy ones share the generated database.
const ALL: Benchmark[] = [
  cryptogramBenchmark,
  paymentApiBenchmark,
  reconciliationBenchmark,
  adminPaymentsSearchBenchmark,
  postLinkBenchmark,
];
const EXTRA: Benchmark[] = [generateDataBenchmark];

function usage(): string {
  return [
    'usage: npm run bench [-- <name>... [--quick] [--keep-db] [--<setting>=<value>...]]',
    ...[...ALL, ...EXTRA].map((b) => `  ${b.name.padEnd(16)} ${b.description}`),
    'settings: see bench/README.md (each also as env BENCH_<SETTING>)',
  ].join('\n');
}

async function main(): Promise<number> {
  const names = benchNames();
  if (names.includes('help') || bool('help', false)) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const selected =
    names.length === 0 || names.includes('all') ? ALL : names.map((n) => [...ALL, ...EXTRA].find((b) => b.name === n));
  if (selected.some((b) => !b)) {
    process.stderr.write(`unknown benchmark in: ${names.join(', ')}\n${usage()}\n`);
    return 2;
  }
  const info = machine(await serverVersion());
  log(
    `machine: ${info.nproc} cores (${info.cpuModel}), ${info.memoryGiB} GiB, Node ${info.node}, PostgreSQL ${info.postgres ?? 'n/a'}, load ${info.loadAverage.join(' ')}`,
  );
  const summary: Array<[string, string, string]> = [];
  let failed = 0;
  try {
    for (const bench of selected as Benchmark[]) {
      log(`=== ${bench.name}: ${bench.description}`);
      const started = performance.now();
      try {
        const result = await bench.run();
        const seconds = (performance.now() - started) / 1000;
        saveResult(bench.name, { seconds: Math.round(seconds), ...result }, info);
        summary.push([bench.name, 'ok', `${Math.round(seconds)} s`]);
      } catch (err) {
        failed++;
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        process.stderr.write(`\n${bench.name} FAILED: ${message}\n`);
        saveResult(bench.name, { error: err instanceof Error ? err.message : String(err) }, info);
        summary.push([bench.name, 'FAILED', `${Math.round((performance.now() - started) / 1000)} s`]);
      }
    }
  } finally {
    await cleanupDatasets().catch((err: Error) => process.stderr.write(`cleanup: ${err.message}\n`));
  }
  printTable('Benchmarks', ['benchmark', 'result', 'time'], summary);
  log(`figures written to ${RESULTS_FILE}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
