import type { DrawResult, PayoutRecord } from "../src/campaign/types.js";
import type { CampaignFact, PayoutOutcome } from "../src/metrics/campaign-facts.js";
import { drawOutcomeOf } from "../src/metrics/campaign-facts.js";
import type { MetricsEnv } from "./metrics-batcher.js";
import { countMetric } from "./metrics-batcher.js";

/**
 * The metric hooks of campaigns, one line each at the place where a thing happens. Nothing
 * awaits and nothing throws: facts are counted in the isolate's memory and sent in batches
 * (metrics-batcher.ts), exactly like a conversation actor's (actor-metrics.ts).
 *
 * Who calls what, so nothing is counted twice:
 * - CampaignShard: `draw` for every answer of `draw()`; `settled` and `released` when a
 *   payout record changes state (once: a repeated settle/release changes nothing and counts
 *   nothing). `settled` counts `paid`, `released` counts `failed` plus a compensation, both
 *   with the payout's latency (settledAt - reservedAt).
 * - The payout saga: `payout(campaign, "unsettled")` when it gives up with the money's fate
 *   unknown, and `sagaRetry(campaign, step)` when a step's body runs again after a failed
 *   attempt. Call them inside a step's body, never in `run()`'s own code: Workflows replays
 *   `run()` from the top after every sleep or restart, and only step bodies run once per attempt.
 *
 * @example campaignMetrics(env).draw("spring-lottery", result)
 * @example campaignMetrics(env).sagaRetry("spring-lottery", "pay")
 */
export interface CampaignMetrics {
  /** A draw was answered (a replay counts as outcome "replay"; a fresh win also counts its prize). */
  draw(campaign: string, result: DrawResult): void;
  /** A payout ended; `seconds` (reservation to the end) goes into the latency histogram when given. */
  payout(campaign: string, outcome: PayoutOutcome, seconds?: number): void;
  /** reserved → paid, with the record as settled. */
  settled(record: PayoutRecord): void;
  /** reserved → released after a rejection: a failed payout and a compensation. */
  released(record: PayoutRecord): void;
  /** A saga step ("pay", "settle", "release", …) ran again after a failed attempt. */
  sagaRetry(campaign: string, step: string): void;
  /** A reservation was given back to the pool after a rejected payment. */
  compensation(campaign: string): void;
}

/** The hooks over the isolate's shared batcher; cheap to make (no state of its own). */
export function campaignMetrics(env: MetricsEnv): CampaignMetrics {
  const record = (fact: CampaignFact) => countMetric(env, fact);
  const payout = (campaign: string, outcome: PayoutOutcome, seconds?: number) =>
    record(seconds === undefined ? { type: "campaign.payout", campaign, outcome } : { type: "campaign.payout", campaign, outcome, seconds });
  const compensation = (campaign: string) => record({ type: "campaign.compensation", campaign });
  return {
    draw(campaign, result) {
      const outcome = drawOutcomeOf(result);
      record(
        outcome === "won" && result.outcome === "won"
          ? { type: "campaign.draw", campaign, outcome, prize: result.prize.id }
          : { type: "campaign.draw", campaign, outcome },
      );
    },
    payout,
    settled: (settled) => payout(settled.campaignId, "paid", secondsOf(settled)),
    released(released) {
      payout(released.campaignId, "failed", secondsOf(released));
      compensation(released.campaignId);
    },
    sagaRetry: (campaign, step) => record({ type: "campaign.saga_retry", campaign, step }),
    compensation,
  };
}

/** Reservation to settlement, seconds; undefined when the record has not ended. */
function secondsOf(record: PayoutRecord): number | undefined {
  return record.settledAt === undefined ? undefined : Math.max(0, record.settledAt - record.reservedAt) / 1000;
}
