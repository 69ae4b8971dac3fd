import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findCardData } from '../setup/fixtures';
import { recordFigure } from './helpers/figures';

// Runs last (file-name order): every earlier flow left its app's log and a dump of its database in
// REL_RUN_DIR. None may contain a test card number or a CVC (the e2e suite's findCardData patterns).
describe('reliability: card data at rest', () => {
  it('no card number or CVC in any log or database dump of the flows', () => {
    const dir = process.env.REL_RUN_DIR;
    const flows = dir && existsSync(dir) ? readdirSync(dir).filter((d) => statSync(join(dir, d)).isDirectory()) : [];
    if (!flows.length) {
      recordFigure(
        'card data at rest',
        'card data at rest: SKIPPED - no flow ran before this spec (run the whole suite)',
        true,
      );
      return;
    }
    const hits: string[] = [];
    let logBytes = 0;
    let dumpBytes = 0;
    let logs = 0;
    let dumps = 0;
    for (const flow of flows) {
      for (const file of readdirSync(join(dir!, flow))) {
        const text = readFileSync(join(dir!, flow, file), 'utf8');
        if (file.endsWith('.log')) {
          logs++;
          logBytes += text.length;
        } else {
          dumps++;
          dumpBytes += text.length;
        }
        for (const hit of findCardData(text)) hits.push(`${flow}/${file}: ${hit.slice(0, 6)}…`);
      }
    }
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    recordFigure(
      'card data at rest',
      `card data at rest: ${logs} logs (${mb(logBytes)}) + ${dumps} database dumps (${mb(dumpBytes)}) of ${flows.length} flows (${flows.join(', ')}) scanned, ${hits.length} hits`,
      hits.length === 0,
      { flows, hits },
    );
    expect(hits).toEqual([]);
    // an empty scan would prove nothing
    expect(logBytes).toBeGreaterThan(0);
    expect(dumpBytes).toBeGreaterThan(0);
  });
});
