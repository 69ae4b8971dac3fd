import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The repository root (where package.json is), from src/ under ts-node/Jest and from dist/src/ when built.
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}

const ROOT = projectRoot();

// checkout/dist/checkout.js (npm run build) and the demo shop's files under checkout/demo/.
export function readCheckoutFile(path: string): string | null {
  const file = join(ROOT, 'checkout', path);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}
