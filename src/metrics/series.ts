import type { CounterName, HistogramName, LabelsOf, MetricName } from "./catalog.js";
import { isMetricName, metricDef } from "./catalog.js";
import { addCounts } from "./quantile.js";

export type Labels = Readonly<Record<string, string>>;

export interface CounterSeries {
  kind: "counter";
  name: MetricName;
  labels: Labels;
  value: number;
}

/** `counts[i]` observations fell in bucket i (not cumulative); the last one is the +Inf bucket. */
export interface HistogramSeries {
  kind: "histogram";
  name: MetricName;
  labels: Labels;
  counts: number[];
  sum: number;
}

/** One time series: a metric and one combination of its label values. Plain data: it crosses RPC and goes into SQLite as JSON. */
export type Series = CounterSeries | HistogramSeries;

/** Label values longer than this are cut: a label is for grouping, and an unbounded one would bloat every shard. */
const LABEL_MAX = 64;

/**
 * A bag of series, keyed by metric and label values. Adding is O(labels); merging two sets
 * adds counters and histogram buckets, so merge order never matters (isolates → shards →
 * /metrics all merge the same way).
 */
export class MetricSet {
  private readonly byKey = new Map<string, Series>();

  /** Rebuilds a set from stored or received series; series this release does not know are skipped. */
  static from(series: Iterable<Series>): MetricSet {
    const set = new MetricSet();
    for (const item of series) if (isWellFormed(item)) set.mergeSeries(item);
    return set;
  }

  get size(): number {
    return this.byKey.size;
  }

  count<N extends CounterName>(name: N, labels: LabelsOf<N>, by = 1): void {
    const series = this.slot(name, labels, "counter");
    if (series.kind === "counter") series.value += by;
  }

  observe<N extends HistogramName>(name: N, labels: LabelsOf<N>, value: number): void {
    const series = this.slot(name, labels, "histogram");
    if (series.kind !== "histogram") return;
    const def = metricDef(name);
    const bounds = def.kind === "histogram" ? def.buckets : [];
    const index = bounds.findIndex((bound) => value <= bound);
    series.counts[index === -1 ? bounds.length : index]! += 1;
    series.sum += value;
  }

  merge(other: MetricSet): this {
    for (const series of other.byKey.values()) this.mergeSeries(series);
    return this;
  }

  mergeSeries(series: Series): void {
    const target = this.slot(series.name, series.labels, series.kind);
    if (target.kind === "counter" && series.kind === "counter") target.value += series.value;
    else if (target.kind === "histogram" && series.kind === "histogram") {
      addCounts(target.counts, series.counts);
      target.sum += series.sum;
    }
  }

  /** A copy of every series: safe to send or store while this set keeps changing. */
  series(): Series[] {
    return [...this.byKey.values()].map(copySeries);
  }

  /** The series of one metric, e.g. to sum or chart it. */
  *of(name: MetricName): Iterable<Series> {
    for (const series of this.byKey.values()) if (series.name === name) yield series;
  }

  /** Sum of a counter over every series whose labels match `where`. */
  total(name: CounterName, where: Labels = {}): number {
    let sum = 0;
    for (const series of this.of(name)) if (series.kind === "counter" && matches(series.labels, where)) sum += series.value;
    return sum;
  }

  private slot(name: MetricName, labels: Labels, kind: Series["kind"]): Series {
    const normal = normalLabels(name, labels);
    const key = seriesKey(name, normal);
    let series = this.byKey.get(key);
    if (!series) {
      series = kind === "counter" ? { kind, name, labels: normal, value: 0 } : { kind, name, labels: normal, counts: emptyCounts(name), sum: 0 };
      this.byKey.set(key, series);
    }
    return series;
  }
}

/** A series' identity: its metric and label values in catalog order (the order of `labels` never matters). */
export function seriesKey(name: MetricName, labels: Labels): string {
  return JSON.stringify([name, ...metricDef(name).labels.map((label) => labels[label] ?? "")]);
}

export function matches(labels: Labels, where: Labels): boolean {
  return Object.entries(where).every(([label, value]) => labels[label] === value);
}

function normalLabels(name: MetricName, labels: Labels): Labels {
  const normal: Record<string, string> = {};
  for (const label of metricDef(name).labels) normal[label] = String(labels[label] ?? "").slice(0, LABEL_MAX);
  return normal;
}

function emptyCounts(name: MetricName): number[] {
  const def = metricDef(name);
  return new Array<number>(def.kind === "histogram" ? def.buckets.length + 1 : 0).fill(0);
}

function copySeries(series: Series): Series {
  return series.kind === "counter" ? { ...series, labels: { ...series.labels } } : { ...series, labels: { ...series.labels }, counts: [...series.counts] };
}

/** Guards what comes from storage or another release: a known metric of the right kind and shape. */
function isWellFormed(series: Series): boolean {
  if (typeof series !== "object" || series === null || !isMetricName(series.name)) return false;
  const def = metricDef(series.name);
  if (def.kind !== series.kind || typeof series.labels !== "object" || series.labels === null) return false;
  if (series.kind === "counter") return Number.isFinite(series.value);
  return Array.isArray(series.counts) && series.counts.length === emptyCounts(series.name).length && Number.isFinite(series.sum);
}
