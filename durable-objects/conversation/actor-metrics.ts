import type { MetricsEnv } from "../../platform/metrics-batcher.js";
import { countMetric } from "../../platform/metrics-batcher.js";
import type { ConversationEvent } from "../../src/conversation/events.js";
import type { MetricFact } from "../../src/metrics/facts.js";
import type { VoiceStatus } from "../../src/protocol/voice.js";

/**
 * A conversation actor's metric hooks, one line each in the actor. Nothing here awaits:
 * facts are counted in the isolate's memory and flushed in batches (metrics-batcher.ts).
 */
export class ActorMetrics {
  /** True from a load until the first turn: that turn paid for the load (a cold turn). */
  private coldTurnPending = false;

  constructor(private readonly env: MetricsEnv) {}

  /** The actor loaded its state from storage (snapshot + tail): it was not in memory. */
  loaded(): void {
    this.coldTurnPending = true;
    this.record({ type: "actor.loaded" });
  }

  turn(bot: string, version: string, cohort: string, events: readonly { event: ConversationEvent }[]): void {
    const start = this.coldTurnPending ? "cold" : "warm";
    this.coldTurnPending = false;
    this.record({ type: "turn", bot, version, cohort, start, events });
  }

  snapshotWritten(): void {
    this.record({ type: "snapshot.written" });
  }

  snapshotRejected(reason: string): void {
    this.record({ type: "snapshot.rejected", reason });
  }

  /** A voice job entered `status` (every change, from registration on). */
  voiceStatus(frame: { jobId: string; status: VoiceStatus }): void {
    this.record({ type: "voice.status", jobId: frame.jobId, status: frame.status, at: Date.now() });
  }

  /** Jobs erased with their conversation: they wait on no queue any more. */
  voiceJobsGone(jobIds: readonly string[]): void {
    if (jobIds.length > 0) this.record({ type: "voice.gone", jobIds: [...jobIds], at: Date.now() });
  }

  socket(change: "opened" | "closed"): void {
    this.record({ type: change === "opened" ? "socket.opened" : "socket.closed" });
  }

  private record(fact: MetricFact): void {
    countMetric(this.env, fact);
  }
}
