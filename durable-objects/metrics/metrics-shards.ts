import { logEvent } from "../../platform/log.js";
import type { MetricsEnv } from "../../platform/metrics-batcher.js";
import { sharedMetrics } from "../../platform/metrics-batcher.js";
import { MetricSet } from "../../src/metrics/series.js";
import { shardCountOf, shardName } from "../../src/metrics/shards.js";
import type { TimelineRange } from "../../src/metrics/timeline.js";
import { mergeTimelines } from "../../src/metrics/timeline.js";
import type { StageSummary } from "../../src/metrics/voice-stages.js";
import { mergeSummaries } from "../../src/metrics/voice-stages.js";
import type { ShardReading } from "./metrics-aggregator.js";

/** Every shard's counts merged: what /metrics renders and /v1/admin/stats charts. */
export interface MergedReading {
  totals: MetricSet;
  stages: StageSummary[];
  /** one set per step of the range asked for (empty without a range) */
  timeline: Map<number, MetricSet>;
  shards: { ok: number; unreachable: number };
}

/**
 * Reads every aggregator shard (one RPC each, in parallel) and merges them. This isolate's
 * own unsent counts are flushed first, so a reader sees at least what it has itself caused.
 * A shard that does not answer is left out and counted as unreachable, rather than failing
 * the whole read: partial figures that say they are partial beat none during an incident.
 */
export async function readMetrics(env: MetricsEnv, range?: TimelineRange): Promise<MergedReading> {
  await sharedMetrics(env).flush();
  const count = shardCountOf(env.METRICS_SHARDS);
  const names = Array.from({ length: count }, (_, i) => shardName(i));
  const results = await Promise.allSettled(names.map((name) => env.METRICS.getByName(name).read(range)));
  const readings: ShardReading[] = [];
  results.forEach((result, i) => {
    if (result.status === "fulfilled") readings.push(result.value);
    else logEvent("warn", "metrics shard unreachable", { shard: names[i], error: String(result.reason) });
  });
  const totals = new MetricSet();
  for (const reading of readings) totals.merge(MetricSet.from(reading.totals));
  return {
    totals,
    stages: mergeSummaries(readings.map((reading) => reading.stages)),
    timeline: range
      ? mergeTimelines(
          range,
          readings.map((reading) => reading.timeline),
        )
      : new Map(),
    shards: { ok: readings.length, unreachable: count - readings.length },
  };
}
