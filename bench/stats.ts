/** Percentile of a sample (nearest rank), in the sample's unit. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Run `n` calls of `fn` with at most `concurrency` in flight; the latency of each, sorted. */
export async function measure(n: number, concurrency: number, fn: () => Promise<void>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < n) {
      next++;
      const t = performance.now();
      await fn();
      latencies.push(performance.now() - t);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies: latencies.sort((a, b) => a - b), wallMs: performance.now() - started };
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
