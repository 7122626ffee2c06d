import type { DrawResult } from "../campaign/types.js";
import type { MetricSet } from "./series.js";

/** A draw's outcome as counted: a replayed draw is "replay", whatever it first was, so it is never counted twice. */
export type DrawOutcomeLabel = DrawResult["outcome"] | "replay";

/** How a cash payout ended. */
export type PayoutOutcome = "paid" | "failed" | "unsettled";

/** What campaign shards and the payout saga report (see platform/campaign-metrics.ts). */
export type CampaignFact =
  | { type: "campaign.draw"; campaign: string; outcome: DrawOutcomeLabel; prize?: string }
  | { type: "campaign.payout"; campaign: string; outcome: PayoutOutcome; seconds?: number }
  | { type: "campaign.saga_retry"; campaign: string; step: string }
  | { type: "campaign.compensation"; campaign: string };

/**
 * The label of a draw's answer: a fresh win or loss as itself, a repeated request as "replay".
 *
 * @example drawOutcomeOf({ outcome: "won", drawId: "c:u:1", drawNo: 1, prize, replay: true }) // → "replay"
 */
export function drawOutcomeOf(result: DrawResult): DrawOutcomeLabel {
  if ((result.outcome === "won" || result.outcome === "lost") && result.replay) return "replay";
  return result.outcome;
}

export function countCampaignFact(metrics: MetricSet, fact: CampaignFact): void {
  switch (fact.type) {
    case "campaign.draw":
      metrics.count("parley_campaign_draws_total", { campaign: fact.campaign, outcome: fact.outcome });
      if (fact.outcome === "won" && fact.prize !== undefined) metrics.count("parley_campaign_wins_total", { campaign: fact.campaign, prize: fact.prize });
      return;
    case "campaign.payout":
      metrics.count("parley_payouts_total", { campaign: fact.campaign, outcome: fact.outcome });
      if (fact.seconds !== undefined && Number.isFinite(fact.seconds) && fact.seconds >= 0) {
        metrics.observe("parley_payout_duration_seconds", { campaign: fact.campaign }, fact.seconds);
      }
      return;
    case "campaign.saga_retry":
      return metrics.count("parley_payout_saga_retries_total", { campaign: fact.campaign, step: fact.step });
    case "campaign.compensation":
      return metrics.count("parley_payout_compensations_total", { campaign: fact.campaign });
  }
}
