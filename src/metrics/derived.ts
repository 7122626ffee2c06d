import type { Labels, MetricSet } from "./series.js";
import type { StageSummary, VoiceQueueStage } from "./voice-stages.js";

/** A value computed when /metrics is read, from global counters and the shards' voice stages. */
export interface Gauge {
  name: string;
  help: string;
  samples: { labels: Labels; value: number }[];
}

/** A handoff queue's live figures, read from the queue itself when /metrics is read. */
export interface HandoffQueueNow {
  bot: string;
  queue: string;
  waiting: number;
  agentsOnline: number;
}

export interface GaugeInputs {
  totals: MetricSet;
  stages: readonly StageSummary[];
  now: number;
  shards: { ok: number; unreachable: number };
  /** every handoff queue that answered (none: the two handoff gauges have no samples) */
  handoff?: readonly HandoffQueueNow[];
}

/** Backlog and lag of each voice queue: jobs waiting, and the age of the oldest, in seconds. */
export function queueGauges(stages: readonly StageSummary[], now: number): { stage: VoiceQueueStage; backlog: number; lagSeconds: number }[] {
  return stages.map((stage) => ({
    stage: stage.stage,
    backlog: stage.waiting,
    lagSeconds: stage.oldestSince === null ? 0 : Math.max(0, now - stage.oldestSince) / 1000,
  }));
}

/** Sockets accepted minus sockets closed, over every actor (never below 0). */
export function openWebSockets(totals: MetricSet): number {
  return Math.max(0, totals.total("parley_websockets_opened_total") - totals.total("parley_websockets_closed_total"));
}

/** Warm turns / all turns; null before the first turn. */
export function actorHitRatio(totals: MetricSet): number | null {
  const warm = totals.total("parley_actor_turns_total", { start: "warm" });
  const cold = totals.total("parley_actor_turns_total", { start: "cold" });
  return warm + cold === 0 ? null : warm / (warm + cold);
}

/**
 * The signals operators of a Kafka + Redis design watch most, in this design's terms: the
 * queue backlog and the age of the oldest waiting job per stage (consumer lag), and the
 * actor hit ratio (the cache hit ratio of a design where every user's state lives in a warm
 * actor). Plus open WebSockets. All derived from global counts, never kept per isolate.
 */
export function derivedGauges({ totals, stages, now, shards, handoff = [] }: GaugeInputs): Gauge[] {
  const queues = queueGauges(stages, now);
  const byQueue = (value: (queue: HandoffQueueNow) => number) =>
    handoff.map((queue) => ({ labels: { bot: queue.bot, queue: queue.queue }, value: value(queue) }));
  return [
    {
      name: "parley_voice_queue_backlog",
      help: "Voice jobs whose message on this stage's queue is not settled yet (waiting, running or between retries).",
      samples: queues.map((queue) => ({ labels: { stage: queue.stage }, value: queue.backlog })),
    },
    {
      name: "parley_voice_queue_lag_seconds",
      help: "Age of the oldest voice job waiting on this stage's queue (0 when none waits).",
      samples: queues.map((queue) => ({ labels: { stage: queue.stage }, value: queue.lagSeconds })),
    },
    {
      name: "parley_actor_hit_ratio",
      help: "Share of turns served by a warm actor (state in memory) rather than right after a cold load from storage; NaN before the first turn.",
      samples: [{ labels: {}, value: actorHitRatio(totals) ?? Number.NaN }],
    },
    {
      name: "parley_websockets_open",
      help: "WebSockets open now: accepted minus closed, over every actor.",
      samples: [{ labels: {}, value: openWebSockets(totals) }],
    },
    {
      name: "parley_handoff_waiting",
      help: "Conversations waiting for an agent now, read from each handoff queue.",
      samples: byQueue((queue) => queue.waiting),
    },
    {
      name: "parley_handoff_agents_online",
      help: "Agents with an open socket and presence 'online' on each handoff queue now.",
      samples: byQueue((queue) => queue.agentsOnline),
    },
    {
      name: "parley_metrics_shards",
      help: "Aggregator shards merged into this answer ('ok') or missing from it ('unreachable': their counts are absent).",
      samples: [
        { labels: { state: "ok" }, value: shards.ok },
        { labels: { state: "unreachable" }, value: shards.unreachable },
      ],
    },
  ];
}
