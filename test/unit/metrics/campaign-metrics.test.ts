import { describe, expect, it } from "vitest";
import type { DrawResult } from "../../../src/campaign/types.js";
import { drawOutcomeOf } from "../../../src/metrics/campaign-facts.js";
import { MetricsDelta } from "../../../src/metrics/facts.js";
import { renderPrometheus } from "../../../src/metrics/prometheus.js";

const prize = { id: "cash-5", kind: "cash" as const, amount: 500, currency: "CNY", label: "¥5.00" };
const won = (replay: boolean): DrawResult => ({ outcome: "won", drawId: "spring:u:1", drawNo: 1, prize, replay });

describe("campaign metrics", () => {
  it("labels a repeated draw 'replay', whatever it first was, and other answers by their outcome", () => {
    expect(drawOutcomeOf(won(false))).toBe("won");
    expect(drawOutcomeOf(won(true))).toBe("replay");
    expect(drawOutcomeOf({ outcome: "lost", drawId: "d", drawNo: 2, replay: true })).toBe("replay");
    expect(drawOutcomeOf({ outcome: "limit", draws: 1 })).toBe("limit");
    expect(drawOutcomeOf({ outcome: "closed", status: "paused" })).toBe("closed");
    expect(drawOutcomeOf({ outcome: "exhausted" })).toBe("exhausted");
  });

  it("counts draws by outcome and wins by prize, a replayed win not as a second win", () => {
    const delta = new MetricsDelta();
    delta.record({ type: "campaign.draw", campaign: "spring", outcome: "won", prize: "cash-5" });
    delta.record({ type: "campaign.draw", campaign: "spring", outcome: "replay" });
    delta.record({ type: "campaign.draw", campaign: "spring", outcome: "lost" });
    expect(delta.metrics.total("parley_campaign_draws_total", { campaign: "spring" })).toBe(3);
    expect(delta.metrics.total("parley_campaign_draws_total", { outcome: "won" })).toBe(1);
    expect(delta.metrics.total("parley_campaign_wins_total", { campaign: "spring", prize: "cash-5" })).toBe(1);
  });

  it("counts payouts by outcome, their latency in the histogram, retries by step and compensations", () => {
    const delta = new MetricsDelta();
    delta.record({ type: "campaign.payout", campaign: "spring", outcome: "paid", seconds: 0.8 });
    delta.record({ type: "campaign.payout", campaign: "spring", outcome: "failed", seconds: 95 });
    delta.record({ type: "campaign.payout", campaign: "spring", outcome: "unsettled" });
    delta.record({ type: "campaign.saga_retry", campaign: "spring", step: "pay" });
    delta.record({ type: "campaign.saga_retry", campaign: "spring", step: "pay" });
    delta.record({ type: "campaign.compensation", campaign: "spring" });
    const text = renderPrometheus(delta.metrics, []).split("\n");
    expect(text).toContain('parley_payouts_total{campaign="spring",outcome="paid"} 1');
    expect(text).toContain('parley_payouts_total{campaign="spring",outcome="unsettled"} 1');
    expect(text).toContain('parley_payout_saga_retries_total{campaign="spring",step="pay"} 2');
    expect(text).toContain('parley_payout_compensations_total{campaign="spring"} 1');
    // Two durations measured (the unsettled payout has none): 0.8 s under 1 s, 95 s under 2 min.
    expect(text).toContain('parley_payout_duration_seconds_bucket{campaign="spring",le="0.5"} 0');
    expect(text).toContain('parley_payout_duration_seconds_bucket{campaign="spring",le="1"} 1');
    expect(text).toContain('parley_payout_duration_seconds_bucket{campaign="spring",le="60"} 1');
    expect(text).toContain('parley_payout_duration_seconds_bucket{campaign="spring",le="120"} 2');
    expect(text).toContain('parley_payout_duration_seconds_count{campaign="spring"} 2');
    expect(text).toContain('parley_payout_duration_seconds_sum{campaign="spring"} 95.8');
  });
});
