import type { HandledResolution, HandoffFact } from "../src/metrics/handoff-facts.js";
import type { MetricsEnv } from "./metrics-batcher.js";
import { countMetricNow } from "./metrics-batcher.js";

/**
 * The metric hooks of one handoff queue (bot, queue), one line each at the place where a thing
 * happens. Nothing awaits and nothing throws: each fact is sent with the isolate's other counts
 * at once (metrics-batcher.ts `countMetricNow`): these events are rare, and a queue sets no timer.
 *
 * Who calls what, so nothing is counted twice (all in durable-objects/handoff/):
 * - `enqueued` when `enqueue` inserts a new entry (a repeated enqueue of a waiting or held
 *   conversation changes nothing and counts nothing; a transfer counts in the queue it reaches);
 * - `claimed` for the one claim whose conditional UPDATE won, with its wait in ms;
 * - `handled` when a held entry ends: the agent's end (resolved) or transfer, or the user's cancel;
 * - `abandoned` when a waiting entry is cancelled for any reason but a ticket (which counts as one);
 * - `ticket` for a new ticket (the same one again is the same ticket);
 * - `rated` for the first rating of an entry.
 * "Waiting now" and "agents online" are not counted: they are read live from each queue.
 *
 * @example handoffMetrics(env, "shop", "orders").claimed(4200)
 */
export interface HandoffMetrics {
  enqueued(): void;
  claimed(waitedMs: number): void;
  handled(resolution: HandledResolution): void;
  abandoned(): void;
  ticket(): void;
  rated(score: number): void;
}

/** The hooks of one queue over the isolate's shared batcher; cheap to make (no state of its own). */
export function handoffMetrics(env: MetricsEnv, bot: string, queue: string): HandoffMetrics {
  // Sent at once, no timer: a queue with agents' hibernatable sockets may hibernate, and the
  // isolate's flush timer should not be one that only a hibernated queue's context would run.
  const record = (fact: HandoffFact) => void countMetricNow(env, fact);
  return {
    enqueued: () => record({ type: "handoff.enqueued", bot, queue }),
    claimed: (waitedMs) => record({ type: "handoff.claimed", bot, queue, waitedSeconds: Math.max(0, waitedMs) / 1000 }),
    handled: (resolution) => record({ type: "handoff.handled", bot, queue, resolution }),
    abandoned: () => record({ type: "handoff.abandoned", bot, queue }),
    ticket: () => record({ type: "handoff.ticket", bot, queue }),
    rated: (score) => record({ type: "handoff.rated", bot, queue, score }),
  };
}
