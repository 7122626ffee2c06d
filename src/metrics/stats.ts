import type { StatsAnswer, StatsBucket, StatsNow, StatsTotals, StatsWindow } from "../protocol/metrics.js";
import { LATENCY_BUCKETS } from "./catalog.js";
import { actorHitRatio } from "./derived.js";
import { llmFiguresOf, llmTotalsOf } from "./llm-stats.js";
import { percentilesMs } from "./quantile.js";
import { MetricSet } from "./series.js";
import type { TimelineRange } from "./timeline.js";

type Figures = Omit<StatsBucket, "start">;

/** The figures the /admin page draws, from one step's (or the whole window's) counts. */
export function figuresOf(set: MetricSet): Figures {
  let requests = 0;
  let errors = 0;
  for (const series of set.of("parley_http_requests_total")) {
    if (series.kind !== "counter") continue;
    requests += series.value;
    if (Number(series.labels["status"]) >= 500) errors += series.value;
  }
  const turns = byCohort(set, "parley_turns_total");
  const fallbacks = byCohort(set, "parley_fallbacks_total");
  const voice: Record<string, number> = {};
  for (const series of set.of("parley_voice_jobs_total")) {
    const status = series.labels["status"] ?? "";
    if (series.kind === "counter") voice[status] = (voice[status] ?? 0) + series.value;
  }
  return {
    requests,
    errors,
    latencyMs: percentilesMs(set.of("parley_http_request_duration_seconds"), LATENCY_BUCKETS),
    turns,
    fallbacks,
    fallbackRate: { stable: rate(fallbacks.stable, turns.stable), canary: rate(fallbacks.canary, turns.canary) },
    handoffs: set.total("parley_handoffs_total"),
    coldTurns: set.total("parley_actor_turns_total", { start: "cold" }),
    voice,
    retries: set.total("parley_voice_queue_retries_total"),
    deadLetters: set.total("parley_voice_queue_dead_letters_total"),
    llm: llmFiguresOf(set),
  };
}

export function totalsOf(set: MetricSet): StatsTotals {
  const intents = new Map<string, number>();
  for (const series of set.of("parley_intents_total")) {
    const intent = series.labels["intent"] ?? "none";
    if (series.kind === "counter") intents.set(intent, (intents.get(intent) ?? 0) + series.value);
  }
  return {
    ...figuresOf(set),
    intents: [...intents].map(([intent, count]) => ({ intent, count })).sort((a, b) => b.count - a.count || a.intent.localeCompare(b.intent)),
    actorHitRatio: actorHitRatio(set),
    snapshotsWritten: set.total("parley_snapshots_written_total"),
    snapshotMacFailures: set.total("parley_snapshot_mac_failures_total"),
    llm: llmTotalsOf(set),
  };
}

/** The answer of GET /v1/admin/stats, from the shards' merged buckets and the current gauges. */
export function statsAnswer(window: StatsWindow, range: TimelineRange, buckets: Map<number, MetricSet>, now: StatsNow, generatedAt: number): StatsAnswer {
  const whole = new MetricSet();
  for (const set of buckets.values()) whole.merge(set);
  return {
    window,
    stepSeconds: range.stepMs / 1000,
    from: range.from,
    to: range.to,
    generatedAt,
    buckets: [...buckets].sort(([a], [b]) => a - b).map(([start, set]) => ({ start, ...figuresOf(set) })),
    totals: totalsOf(whole),
    now,
  };
}

function byCohort(set: MetricSet, name: "parley_turns_total" | "parley_fallbacks_total"): { stable: number; canary: number } {
  return { stable: set.total(name, { cohort: "stable" }), canary: set.total(name, { cohort: "canary" }) };
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
