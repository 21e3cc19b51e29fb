/** Order statistics and the verdict printed beside each target. */

/** The nearest-rank percentile (`p` in 0–100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Runs `probe` `times` times in a row; resolves to each run's result. */
export async function repeat<T>(times: number, probe: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < times; i++) results.push(await probe(i));
  return results;
}

export type Verdict = 'PASS' | 'MISS' | 'N/A';

/** PASS when `measured` is at most `limit`; N/A when there is nothing to compare. */
export function atMost(measured: number | null, limit: number): Verdict {
  if (measured === null || !Number.isFinite(measured)) return 'N/A';
  return measured <= limit ? 'PASS' : 'MISS';
}

export function fixed(value: number | null, digits = 1): string {
  return value === null || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** Runs `task` over `items` with at most `limit` in flight; results in the order of `items`. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
