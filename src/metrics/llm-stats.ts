import type { StatsLlm, StatsLlmTotals } from "../protocol/metrics.js";
import type { CounterName } from "./catalog.js";
import { LLM_BUCKETS } from "./catalog.js";
import { percentilesMs } from "./quantile.js";
import type { Labels, MetricSet } from "./series.js";
import { matches } from "./series.js";

/**
 * The LLM layer's figures of one step (or the whole window), every model and use together:
 * calls ok or failed, tokens each way, time to first token, replies generated or scripted,
 * commands kept or dropped by validation.
 *
 * @example llmFiguresOf(set).requests // { ok: 12, failed: 1 }
 */
export function llmFiguresOf(set: MetricSet): StatsLlm {
  const ok = set.total("parley_llm_requests_total", { outcome: "ok" });
  return {
    requests: { ok, failed: set.total("parley_llm_requests_total") - ok },
    tokens: { in: set.total("parley_llm_tokens_total", { direction: "in" }), out: set.total("parley_llm_tokens_total", { direction: "out" }) },
    firstTokenMs: percentilesMs(set.of("parley_llm_first_token_seconds"), LLM_BUCKETS),
    replies: {
      generated: set.total("parley_llm_replies_total", { source: "generated" }),
      scripted: set.total("parley_llm_replies_total", { source: "scripted" }),
    },
    commands: {
      accepted: set.total("parley_llm_commands_total", { verdict: "accepted" }),
      dropped: set.total("parley_llm_commands_total", { verdict: "dropped" }),
    },
  };
}

/** The whole window's figures, with why calls failed and why replies went out scripted. */
export function llmTotalsOf(set: MetricSet): StatsLlmTotals {
  const failures = countsBy(set, "parley_llm_requests_total", "outcome").filter((row) => row.reason !== "ok");
  return { ...llmFiguresOf(set), failures, scriptedReasons: countsBy(set, "parley_llm_replies_total", "reason", { source: "scripted" }) };
}

/**
 * A counter summed by one label's values (over the series matching `where`), most frequent
 * first, ties by name.
 *
 * @example countsBy(set, "parley_llm_replies_total", "reason", { source: "scripted" }) // [{ reason: "timeout", count: 3 }, …]
 */
export function countsBy(set: MetricSet, name: CounterName, label: string, where: Labels = {}): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const series of set.of(name)) {
    if (series.kind !== "counter" || !matches(series.labels, where)) continue;
    const value = series.labels[label] ?? "";
    counts.set(value, (counts.get(value) ?? 0) + series.value);
  }
  return [...counts]
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
