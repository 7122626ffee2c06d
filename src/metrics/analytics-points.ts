import type { MetricFact } from "./facts.js";

/** A Workers Analytics Engine data point (the binding's `writeDataPoint` argument). */
export interface AnalyticsPoint {
  indexes: [string];
  blobs: string[];
  doubles: number[];
}

/**
 * The facts worth a row in Analytics Engine, where a dataset is bound (ANALYTICS): every
 * request and every turn, for ad-hoc SQL over longer periods than the shards keep. The
 * index is the sampling key: the route, or the bot version. No user ids.
 *
 * request: blob1 "request", blob2 route, blob3 method, blob4 status; double1 latency (ms)
 * turn:    blob1 "turn", blob2 bot, blob3 version, blob4 cohort, blob5 start (warm|cold),
 *          blob6 intent (or "knowledge:<entry>" / "smalltalk:<entry>" when one answered);
 *          double1 fallback (0|1), double2 handoff (0|1)
 */
export function analyticsPointOf(fact: MetricFact): AnalyticsPoint | null {
  if (fact.type === "request") {
    return { indexes: [fact.route], blobs: ["request", fact.route, fact.method, String(fact.status)], doubles: [fact.seconds * 1000] };
  }
  if (fact.type === "turn") {
    let intent = "none";
    let fallback = 0;
    let handoff = 0;
    for (const { event } of fact.events) {
      if (event.type === "nlu.parsed") intent = event.intent ?? "none";
      else if (event.type === "knowledge.answered" || event.type === "smalltalk.answered") intent = `${event.type.split(".")[0]}:${event.entry}`;
      else if (event.type === "fallback.triggered") fallback = 1;
      else if (event.type === "handoff.requested") handoff = 1;
    }
    return { indexes: [`${fact.bot}@${fact.version}`], blobs: ["turn", fact.bot, fact.version, fact.cohort, fact.start, intent], doubles: [fallback, handoff] };
  }
  return null;
}
