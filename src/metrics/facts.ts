import type { ConversationEvent } from "../conversation/events.js";
import type { VoiceStatus } from "../protocol/voice.js";
import { outcomeOfTurn } from "../rollout/outcomes.js";
import type { CampaignFact } from "./campaign-facts.js";
import { countCampaignFact } from "./campaign-facts.js";
import type { HandoffFact } from "./handoff-facts.js";
import { countHandoffFact } from "./handoff-facts.js";
import type { LlmFact } from "./llm-facts.js";
import { countLlmFact, countLlmTurn } from "./llm-facts.js";
import type { Series } from "./series.js";
import { MetricSet } from "./series.js";
import type { StageMove, VoiceQueueStage } from "./voice-stages.js";
import { stageOfStatus } from "./voice-stages.js";

/**
 * Something worth counting, as the shell reports it. The shell says what happened; this
 * file alone decides which counters that moves, so a hook in an actor or a consumer is one
 * line and knows no metric names.
 */
export type MetricFact =
  | { type: "request"; route: string; method: string; status: number; seconds: number }
  | { type: "turn"; bot: string; version: string; cohort: string; start: "warm" | "cold"; events: readonly { event: ConversationEvent }[] }
  | { type: "actor.loaded" }
  | { type: "snapshot.written" }
  | { type: "snapshot.rejected"; reason: string }
  | { type: "socket.opened" }
  | { type: "socket.closed" }
  | { type: "voice.status"; jobId: string; status: VoiceStatus; at: number }
  | { type: "voice.gone"; jobIds: string[]; at: number }
  | { type: "voice.retry"; stage: VoiceQueueStage }
  | { type: "voice.dead_letter"; stage: VoiceQueueStage }
  | CampaignFact
  | HandoffFact
  | LlmFact;

/** What an isolate has counted since its last flush. */
export class MetricsDelta {
  readonly metrics = new MetricSet();
  readonly moves: StageMove[] = [];
  /** facts recorded: a busy isolate flushes early once this is large */
  facts = 0;

  record(fact: MetricFact): void {
    this.facts++;
    countFact(this.metrics, fact);
    if (fact.type === "voice.status") this.moves.push({ jobId: fact.jobId, stage: stageOfStatus(fact.status), at: fact.at });
    else if (fact.type === "voice.gone") for (const jobId of fact.jobIds) this.moves.push({ jobId, stage: null, at: fact.at });
  }

  get empty(): boolean {
    return this.facts === 0;
  }
}

/** A delta as it crosses RPC to an aggregator shard. */
export interface DeltaPayload {
  /** when the isolate sent it: the shard files it under this minute */
  at: number;
  series: Series[];
  moves: StageMove[];
}

function countFact(metrics: MetricSet, fact: MetricFact): void {
  switch (fact.type) {
    case "request": {
      const route = { route: fact.route, method: fact.method };
      metrics.count("parley_http_requests_total", { ...route, status: String(fact.status) });
      metrics.observe("parley_http_request_duration_seconds", route, fact.seconds);
      return;
    }
    case "turn":
      return countTurn(metrics, fact);
    case "actor.loaded":
      return metrics.count("parley_actor_cold_loads_total", {});
    case "snapshot.written":
      return metrics.count("parley_snapshots_written_total", {});
    case "snapshot.rejected":
      return metrics.count("parley_snapshot_mac_failures_total", { reason: fact.reason });
    case "socket.opened":
      return metrics.count("parley_websockets_opened_total", {});
    case "socket.closed":
      return metrics.count("parley_websockets_closed_total", {});
    case "voice.status":
      return metrics.count("parley_voice_jobs_total", { status: fact.status });
    case "voice.gone":
      return;
    case "voice.retry":
      return metrics.count("parley_voice_queue_retries_total", { stage: fact.stage });
    case "voice.dead_letter":
      return metrics.count("parley_voice_queue_dead_letters_total", { stage: fact.stage });
    case "campaign.draw":
    case "campaign.payout":
    case "campaign.saga_retry":
    case "campaign.compensation":
      return countCampaignFact(metrics, fact);
    case "handoff.enqueued":
    case "handoff.claimed":
    case "handoff.handled":
    case "handoff.abandoned":
    case "handoff.ticket":
    case "handoff.rated":
      return countHandoffFact(metrics, fact);
    case "llm.request":
      return countLlmFact(metrics, fact);
  }
}

/**
 * A committed turn. Fallbacks, handoffs and errors are counted once per turn, exactly as the
 * registry's per-version outcome counters count them (src/rollout/outcomes.ts), so the
 * canary guard and the dashboards agree.
 */
function countTurn(metrics: MetricSet, fact: Extract<MetricFact, { type: "turn" }>): void {
  const version = { bot: fact.bot, version: fact.version };
  const cohort = { ...version, cohort: fact.cohort };
  metrics.count("parley_turns_total", cohort);
  metrics.count("parley_actor_turns_total", { start: fact.start });
  const outcome = outcomeOfTurn(fact.events);
  let fallbackReason: string | null = null;
  for (const { event } of fact.events) {
    if (event.type === "nlu.parsed") metrics.count("parley_intents_total", { ...version, intent: event.intent ?? "none" });
    else if (event.type === "fallback.triggered") fallbackReason ??= event.reason;
  }
  if (outcome.fallbacks > 0) metrics.count("parley_fallbacks_total", { ...cohort, reason: fallbackReason ?? "unknown" });
  if (outcome.handoffs > 0) metrics.count("parley_handoffs_total", cohort);
  if (outcome.errors > 0) metrics.count("parley_turn_errors_total", cohort);
  countLlmTurn(metrics, fact.bot, fact.events);
}
