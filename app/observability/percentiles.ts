// Latency and lag percentiles for the health dashboard, nearest-rank: the p-th percentile of n
// values is the value at rank ceil(p * n), so it is always a value that was really observed.
// The database side picks the same rank (ORDER BY ... OFFSET rank - 1), so both agree.

/** 0-based index of the p-th percentile (0 < p <= 1) in n sorted values; null when n is 0. */
export function percentileIndex(count: number, p: number): number | null {
  if (!(p > 0 && p <= 1)) throw new RangeError(`A percentile must be in (0, 1], got ${p}`);
  if (count <= 0) return null;
  return Math.min(count, Math.max(1, Math.ceil(p * count))) - 1;
}

export function percentile(values: readonly number[], p: number): number | null {
  const index = percentileIndex(values.length, p);
  if (index == null) return null;
  return [...values].sort((a, b) => a - b)[index]!;
}

/** Share of calls that succeeded, 0..1; null when there were none. */
export function successRate(succeeded: number, total: number): number | null {
  return total > 0 ? succeeded / total : null;
}
