import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// The repository root, found from wherever the compiled file runs (dist-bench/bench/lib/...).
export function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bench'))) return dir;
    dir = dirname(dir);
  }
  return resolve(__dirname, '../../..');
}

export const RESULTS_FILE = join(repoRoot(), 'bench', 'results.json');

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  freeMemoryGiB: number;
  loadAverage: number[];
  node: string;
  postgres?: string;
  platform: string;
}

export function machine(postgres?: string): Machine {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    // a busy machine (other engineers' tests) is the main source of noise: keep it with the figures
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    postgres,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function printTable(title: string, headers: string[], rows: Array<Array<string | number>>): void {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  process.stdout.write(`\n${title}\n${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of cells) process.stdout.write(`${line(r)}\n`);
}

export function note(text: string): void {
  process.stdout.write(`  note: ${text}\n`);
}

export function log(text: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

interface ResultsFile {
  updatedAt: string;
  machine: Machine;
  benchmarks: Record<string, unknown>;
}

// Merges one benchmark's result into bench/results.json, so running a single benchmark keeps the
// others' latest figures.
export function saveResult(name: string, result: unknown, machineInfo: Machine): void {
  let current: ResultsFile = { updatedAt: '', machine: machineInfo, benchmarks: {} };
  try {
    current = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as ResultsFile;
  } catch {
    // first run, or a file from an older layout: start over
  }
  current.updatedAt = new Date().toISOString();
  current.machine = machineInfo;
  current.benchmarks = {
    ...current.benchmarks,
    [name]: { at: current.updatedAt, machine: machineInfo, ...(result as object) },
  };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(current, null, 2)}\n`);
}
