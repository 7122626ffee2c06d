/**
 * Latency statistics over recorded samples: pure, so the figures the benchmark prints are
 * unit-tested, not trusted.
 */

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/**
 * The nearest-rank percentile of ascending `sorted` samples: the smallest sample with at
 * least `p` of all samples at or below it. `NaN` when there are no samples.
 *
 * @example
 * percentile([1, 2, 3, 4], 0.5); // 2
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile must be within [0, 1], got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] as number;
}

/** Summarizes samples given in any order; the input is not modified. */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  let total = 0;
  for (const sample of sorted) total += sample;
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: sorted.length === 0 ? Number.NaN : total / sorted.length,
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
  };
}

/** `a / b`, or `NaN` when either side is missing or `b` is zero. */
export function ratio(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}

/** The median of a few repeated measurements: the mean of the middle two when the count is even. */
export function median(samples: ArrayLike<number>): number {
  const sorted = Float64Array.from(samples).sort();
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * A growable sample buffer: a load run records tens of thousands of latencies, and a plain
 * array of boxed numbers would make the load generator itself a noticeable CPU cost.
 */
export class SampleBuffer {
  private data = new Float64Array(4096);
  private size = 0;

  push(value: number): void {
    if (this.size === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size++] = value;
  }

  get length(): number {
    return this.size;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.size);
  }
}
