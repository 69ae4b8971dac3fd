// Small statistics helpers: exact percentiles over recorded samples (autocannon's own histogram
// keeps whole milliseconds, too coarse for a 3 ms overhead budget).

export interface Summary {
  n: number;
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

// Linear interpolation between closest ranks; `sorted` must be ascending.
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    n,
    mean: n ? sorted.reduce((s, v) => s + v, 0) / n : NaN,
    min: n ? sorted[0] : NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: n ? sorted[n - 1] : NaN,
  };
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

// (max - min) / median of repeated measurements, as a percentage: the noise we report next to a figure.
export function spreadPercent(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = median(values);
  return m ? ((Math.max(...values) - Math.min(...values)) / m) * 100 : 0;
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function fmt(value: number | undefined, digits = 2): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  return round(value, digits).toLocaleString('en-US', { maximumFractionDigits: digits });
}
