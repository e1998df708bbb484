/** Median, min and max of a set of samples. */
export interface BenchSummary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** The median of `values` (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median, min and max of `samples`. */
export function summarize(samples: readonly number[]): BenchSummary {
  return {
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    count: samples.length,
  };
}

/** The arithmetic mean of `values`. */
export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The p99 of `values` (nearest rank). */
export function p99(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
}
