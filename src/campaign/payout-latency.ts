/**
 * How long cash payouts took, reservation to settlement (settledAt - reservedAt), in ms. A
 * shard knows every one of its payouts and gives exact figures; a campaign's figures are summed
 * from the shards' histograms, so nothing but a few numbers per shard crosses RPC however many
 * payouts there are.
 */

/** Upper bounds (ms) of the histogram buckets: 10 ms, then ×1.25 each step, to a week and beyond. */
export const LATENCY_BOUNDS_MS: readonly number[] = boundsFrom(10, 1.25, 7 * 24 * 3600 * 1000);

export interface LatencyBucket {
  /** payouts that took at most this long and more than the bound below */
  leMs: number;
  count: number;
}

export interface LatencyFigures {
  count: number;
  /** null when there is no payout to measure */
  p50Ms: number | null;
  p90Ms: number | null;
  maxMs: number | null;
  /** the non-empty buckets, by bound: what sums shards into a campaign */
  buckets: LatencyBucket[];
}

/** Paid payouts and released ones (rejected, compensated) apart: they take very different paths. */
export interface PayoutLatency {
  paid: LatencyFigures;
  released: LatencyFigures;
}

export const NO_LATENCY: LatencyFigures = { count: 0, p50Ms: null, p90Ms: null, maxMs: null, buckets: [] };

export const emptyPayoutLatency = (): PayoutLatency => ({ paid: NO_LATENCY, released: NO_LATENCY });

/**
 * Exact figures of one shard's durations (nearest rank: the smallest duration that at least
 * q of them do not exceed).
 *
 * @example latencyOf([100, 200, 300, 4000]).p50Ms // → 200
 */
export function latencyOf(durationsMs: readonly number[]): LatencyFigures {
  if (durationsMs.length === 0) return NO_LATENCY;
  const sorted = durationsMs.map((ms) => Math.max(0, Math.round(ms))).sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? null;
  const counts = new Map<number, number>();
  for (const ms of sorted) {
    const bound = boundOf(ms);
    counts.set(bound, (counts.get(bound) ?? 0) + 1);
  }
  return { count: sorted.length, p50Ms: rank(0.5), p90Ms: rank(0.9), maxMs: sorted.at(-1) ?? null, buckets: bucketsOf(counts) };
}

/**
 * Figures over several shards. Count and max are exact; p50 and p90 are exact when one shard
 * holds every payout, and otherwise interpolated inside the bucket holding the rank (off by at
 * most that bucket's width, a quarter of its bound), never above the max.
 */
export function sumLatency(parts: readonly LatencyFigures[]): LatencyFigures {
  const measured = parts.filter((part) => part.count > 0);
  if (measured.length === 0) return NO_LATENCY;
  if (measured.length === 1) return measured[0] ?? NO_LATENCY;
  const counts = new Map<number, number>();
  for (const part of measured) for (const bucket of part.buckets) counts.set(bucket.leMs, (counts.get(bucket.leMs) ?? 0) + bucket.count);
  const buckets = bucketsOf(counts);
  const count = measured.reduce((sum, part) => sum + part.count, 0);
  const maxMs = Math.max(...measured.map((part) => part.maxMs ?? 0));
  const at = (q: number) => Math.min(maxMs, Math.round(rankIn(buckets, q * count)));
  return { count, p50Ms: at(0.5), p90Ms: at(0.9), maxMs, buckets };
}

export function sumPayoutLatency(parts: readonly PayoutLatency[]): PayoutLatency {
  return { paid: sumLatency(parts.map((part) => part.paid)), released: sumLatency(parts.map((part) => part.released)) };
}

/** The bound of the bucket a duration falls in (the last bound takes everything longer). */
export function boundOf(ms: number): number {
  return LATENCY_BOUNDS_MS.find((bound) => ms <= bound) ?? LATENCY_BOUNDS_MS.at(-1) ?? 0;
}

/** The value at `rank` (1-based, fractional) of sorted buckets, interpolated linearly inside its bucket. */
function rankIn(buckets: readonly LatencyBucket[], rank: number): number {
  let below = 0;
  for (const bucket of buckets) {
    if (below + bucket.count >= rank) {
      const lower = lowerOf(bucket.leMs);
      return lower + (bucket.leMs - lower) * ((rank - below) / bucket.count);
    }
    below += bucket.count;
  }
  return buckets.at(-1)?.leMs ?? 0;
}

function lowerOf(bound: number): number {
  const index = LATENCY_BOUNDS_MS.indexOf(bound);
  return index > 0 ? (LATENCY_BOUNDS_MS[index - 1] ?? 0) : 0;
}

function bucketsOf(counts: ReadonlyMap<number, number>): LatencyBucket[] {
  return [...counts].sort(([a], [b]) => a - b).map(([leMs, count]) => ({ leMs, count }));
}

function boundsFrom(first: number, factor: number, last: number): number[] {
  const bounds = [first];
  while ((bounds.at(-1) ?? last) < last) bounds.push(Math.round(first * factor ** bounds.length));
  return bounds;
}
