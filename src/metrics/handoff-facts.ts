import type { MetricSet } from "./series.js";

/** How a claimed conversation left its agent: handed back, moved on, or the user's own doing. */
export type HandledResolution = "resolved" | "transferred" | "user_cancelled" | "erased";

/** What a handoff queue reports (see platform/handoff-metrics.ts); every fact names its bot and queue. */
export type HandoffFact =
  | { type: "handoff.enqueued"; bot: string; queue: string }
  | { type: "handoff.claimed"; bot: string; queue: string; waitedSeconds: number }
  | { type: "handoff.handled"; bot: string; queue: string; resolution: HandledResolution }
  | { type: "handoff.abandoned"; bot: string; queue: string }
  | { type: "handoff.ticket"; bot: string; queue: string }
  | { type: "handoff.rated"; bot: string; queue: string; score: number };

export function countHandoffFact(metrics: MetricSet, fact: HandoffFact): void {
  const where = { bot: fact.bot, queue: fact.queue };
  switch (fact.type) {
    case "handoff.enqueued":
      return metrics.count("parley_handoff_enqueued_total", where);
    case "handoff.claimed":
      metrics.count("parley_handoff_claimed_total", where);
      if (Number.isFinite(fact.waitedSeconds)) metrics.observe("parley_handoff_wait_seconds", where, Math.max(0, fact.waitedSeconds));
      return;
    case "handoff.handled":
      return metrics.count("parley_handoff_handled_total", { ...where, resolution: fact.resolution });
    case "handoff.abandoned":
      return metrics.count("parley_handoff_abandoned_total", where);
    case "handoff.ticket":
      return metrics.count("parley_handoff_tickets_total", where);
    case "handoff.rated":
      // Only the five answers a user can give become label values: a bad score cannot grow the series.
      if (!Number.isInteger(fact.score) || fact.score < 1 || fact.score > 5) return;
      return metrics.count("parley_handoff_ratings_total", { ...where, score: String(fact.score) });
  }
}

/** The handoff counters that name a (bot, queue): where the admin route finds queues that have seen traffic. */
const QUEUE_COUNTERS = [
  "parley_handoff_enqueued_total",
  "parley_handoff_tickets_total",
  "parley_handoff_claimed_total",
  "parley_handoff_abandoned_total",
] as const;

/**
 * Every (bot, queue) the merged counters name, and every bot that committed a turn: the queues
 * worth reading live (a queue named only in a bot definition is added by the caller).
 *
 * @example handoffQueuesSeen(totals) // → { bots: ["shop"], queues: [{ bot: "shop", queue: "orders" }] }
 */
export function handoffQueuesSeen(totals: MetricSet): { bots: string[]; queues: { bot: string; queue: string }[] } {
  const bots = new Set<string>();
  const queues = new Map<string, { bot: string; queue: string }>();
  for (const series of totals.of("parley_turns_total")) if (series.labels.bot) bots.add(series.labels.bot);
  for (const name of QUEUE_COUNTERS) {
    for (const series of totals.of(name)) {
      const { bot, queue } = series.labels;
      if (!bot || !queue) continue;
      bots.add(bot);
      queues.set(JSON.stringify([bot, queue]), { bot, queue });
    }
  }
  return { bots: [...bots].sort(), queues: [...queues.values()] };
}
