// Benchmark settings: `--name=value` (or `--name value`) on the command line wins over the env
// variable BENCH_NAME (dashes become underscores), which wins over the full-size default.
// Positional arguments (no leading --) are benchmark names.

export interface ParsedArgs {
  names: string[];
  flags: Map<string, string>;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const names: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      names.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(arg.slice(2), argv[++i]);
    else flags.set(arg.slice(2), 'true');
  }
  return { names, flags };
}

const parsed = parseArgs(process.argv.slice(2));

export function benchNames(): string[] {
  return parsed.names;
}

function raw(name: string): string | undefined {
  const fromFlag = parsed.flags.get(name);
  if (fromFlag !== undefined) return fromFlag;
  const fromEnv = process.env[`BENCH_${name.replace(/-/g, '_').toUpperCase()}`];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

export function str(name: string, fallback: string): string {
  return raw(name) ?? fallback;
}

export function num(name: string, fallback: number): number {
  const value = raw(name);
  if (value === undefined) return fallback;
  // 1e6, 1_000_000 and 100k are all accepted for sizes
  const text = value.replace(/_/g, '').toLowerCase();
  const scaled = /^(\d+(?:\.\d+)?)([km])$/.exec(text);
  const n = scaled ? Number(scaled[1]) * (scaled[2] === 'k' ? 1e3 : 1e6) : Number(text);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${value}`);
  return n;
}

export function int(name: string, fallback: number): number {
  return Math.round(num(name, fallback));
}

export function list(name: string, fallback: readonly number[]): number[] {
  const value = raw(name);
  if (value === undefined) return [...fallback];
  return value.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isFinite(n)) throw new Error(`--${name} must be a comma-separated list of numbers, got ${value}`);
    return n;
  });
}

export function bool(name: string, fallback: boolean): boolean {
  const value = raw(name);
  if (value === undefined) return fallback;
  return value === 'true' || value === '1' || value === 'yes';
}

// `--quick` shrinks every default to a few seconds of work (development on a busy machine); explicit
// settings still win. The lead's final run uses the full-size defaults.
export function quick(): boolean {
  return bool('quick', false);
}

export function sized<T>(full: T, quickValue: T): T {
  return quick() ? quickValue : full;
}
