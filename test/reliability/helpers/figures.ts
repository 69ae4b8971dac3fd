import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_FILE = join(__dirname, '..', '..', '..', 'test-results', 'reliability.json');

export interface Figure {
  line: string;
  ok: boolean;
  at: string;
  data?: unknown;
}

export interface ReliabilityResults {
  startedAt: string;
  machine: Record<string, unknown>;
  figures: Record<string, Figure>;
  suiteSeconds?: number;
}

// One line per check on the console (the figure the issue asks for) and in test-results/reliability.json.
export function recordFigure(name: string, line: string, ok: boolean, data?: unknown): void {
  process.stdout.write(`\n>>> ${line}\n`);
  let results: ReliabilityResults = { startedAt: new Date().toISOString(), machine: {}, figures: {} };
  try {
    results = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as ReliabilityResults;
  } catch {
    mkdirSync(join(RESULTS_FILE, '..'), { recursive: true });
  }
  results.figures[name] = { line, ok, at: new Date().toISOString(), data };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}

// Logs and a database dump of a flow, kept for the card-data-at-rest scan at the end of the run.
export function saveArtifacts(label: string, files: Record<string, string>): void {
  const dir = process.env.REL_RUN_DIR;
  if (!dir) return;
  const target = join(dir, label);
  mkdirSync(target, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(target, name), text);
}
