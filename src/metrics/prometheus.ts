import type { MetricName } from "./catalog.js";
import { METRICS } from "./catalog.js";
import type { Gauge } from "./derived.js";
import type { Labels, MetricSet, Series } from "./series.js";

/** The content type of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * Prometheus text format (0.0.4) of every metric in the catalog, then the derived gauges.
 * Histograms get cumulative `_bucket{le=…}` lines, `_sum` and `_count`, so
 * `histogram_quantile(0.99, …)` works on them. Series are sorted: the same counts always
 * render the same text.
 */
export function renderPrometheus(totals: MetricSet, gauges: readonly Gauge[]): string {
  const lines: string[] = [];
  for (const name of Object.keys(METRICS) as MetricName[]) {
    const def = METRICS[name];
    lines.push(`# HELP ${name} ${escapeHelp(def.help)}`, `# TYPE ${name} ${def.kind}`);
    const series = [...totals.of(name)].sort(bySeriesLabels);
    if (series.length === 0 && def.kind === "counter" && def.labels.length === 0) lines.push(`${name} 0`);
    for (const item of series) lines.push(...seriesLines(item));
  }
  for (const gauge of gauges) {
    lines.push(`# HELP ${gauge.name} ${escapeHelp(gauge.help)}`, `# TYPE ${gauge.name} gauge`);
    for (const sample of gauge.samples) lines.push(`${gauge.name}${labelText(sample.labels)} ${formatValue(sample.value)}`);
  }
  return `${lines.join("\n")}\n`;
}

function seriesLines(series: Series): string[] {
  if (series.kind === "counter") return [`${series.name}${labelText(series.labels)} ${formatValue(series.value)}`];
  const def = METRICS[series.name];
  const bounds = def.kind === "histogram" ? def.buckets : [];
  const lines: string[] = [];
  let cumulative = 0;
  bounds.forEach((bound, i) => {
    cumulative += series.counts[i] ?? 0;
    lines.push(`${series.name}_bucket${labelText({ ...series.labels, le: String(bound) })} ${cumulative}`);
  });
  const count = series.counts.reduce((sum, n) => sum + n, 0);
  lines.push(`${series.name}_bucket${labelText({ ...series.labels, le: "+Inf" })} ${count}`);
  lines.push(`${series.name}_sum${labelText(series.labels)} ${formatValue(series.sum)}`);
  lines.push(`${series.name}_count${labelText(series.labels)} ${count}`);
  return lines;
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

/** Label values: backslash, double quote and line feed escaped, as the format requires. */
export function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

function escapeHelp(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}

function bySeriesLabels(a: Series, b: Series): number {
  const left = JSON.stringify(Object.values(a.labels));
  const right = JSON.stringify(Object.values(b.labels));
  return left < right ? -1 : left > right ? 1 : 0;
}
