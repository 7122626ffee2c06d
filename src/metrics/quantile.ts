import type { Series } from "./series.js";

/**
 * The q-quantile of a bucketed histogram, the way Prometheus' `histogram_quantile` computes
 * it: find the bucket holding the rank, interpolate linearly inside it. Observations in the
 * +Inf bucket are reported as the highest finite bound (the histogram cannot say more).
 * null when there is nothing to measure.
 *
 * @example quantile([0.1, 0.5], [8, 2, 0], 0.5) // 0.0625: rank 5 of the 8 in (0, 0.1]
 */
export function quantile(bounds: readonly number[], counts: readonly number[], q: number): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] ?? 0;
    if (below + count >= rank && count > 0) {
      if (i >= bounds.length) return bounds.at(-1) ?? null;
      const lower = i === 0 ? 0 : (bounds[i - 1] ?? 0);
      const upper = bounds[i] ?? lower;
      return lower + (upper - lower) * ((rank - below) / count);
    }
    below += count;
  }
  return bounds.at(-1) ?? null;
}

/** Bucket counts added up, position by position. */
export function addCounts(into: number[], more: readonly number[]): number[] {
  more.forEach((count, i) => (into[i] = (into[i] ?? 0) + count));
  return into;
}

/**
 * p50 and p99 in milliseconds (one decimal) of every histogram series given, merged: how the
 * stats answer shows request latency and a model's time to first token. null without observations.
 *
 * @example percentilesMs(set.of("parley_http_request_duration_seconds"), LATENCY_BUCKETS) // { p50: 17.5, p99: 24.9 }
 */
export function percentilesMs(series: Iterable<Series>, bounds: readonly number[]): { p50: number | null; p99: number | null } {
  const counts: number[] = [];
  for (const one of series) if (one.kind === "histogram") addCounts(counts, one.counts);
  const ms = (q: number) => {
    const seconds = quantile(bounds, counts, q);
    return seconds === null ? null : Math.round(seconds * 10_000) / 10;
  };
  return { p50: ms(0.5), p99: ms(0.99) };
}
