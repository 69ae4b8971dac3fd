import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Client } from 'pg';
import { RESULTS_FILE, type ReliabilityResults } from '../helpers/figures';

// Drops the template, prints every figure of the run in one block, and records the suite's time.
export default async function globalTeardown(): Promise<void> {
  const template = process.env.REL_TEMPLATE_DB;
  if (template) {
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  if (process.env.REL_RUN_DIR) rmSync(process.env.REL_RUN_DIR, { recursive: true, force: true });
  let results: ReliabilityResults | undefined;
  try {
    results = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as ReliabilityResults;
  } catch {
    return;
  }
  const seconds = Math.round((Date.now() - Number(process.env.REL_STARTED_AT ?? Date.now())) / 1000);
  results.suiteSeconds = seconds;
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  const lines = Object.values(results.figures).map((f) => `  ${f.line}`);
  process.stdout.write(`\nReliability figures (${seconds} s, ${RESULTS_FILE}):\n${lines.join('\n')}\n`);
}
