/** One row of the `npm run bench` table. Each bench/<area>.bench.ts default-exports a function returning rows. */
export interface BenchRow {
  /** The action or part measured, e.g. "wait-healthy". */
  area: string;
  /** What was measured, e.g. "detection lag (median of 15, defaults)". */
  metric: string;
  /** The figure, already formatted with its unit, e.g. "412 ms" or "1.08x". */
  value: string;
  /** The target or comparison, e.g. "target <= 1 s; url-health-check-action ~2 s". */
  target?: string;
}

export type Bench = () => Promise<BenchRow[]>;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
