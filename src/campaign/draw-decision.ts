import { awardablePrizes, choosePrize } from "./choose.js";
import { needOf } from "./refill.js";
import type { CampaignDefinition, PrizeDefinition } from "./schema.js";
import type { AdminStatus } from "./status.js";
import { campaignStatus } from "./status.js";
import type { Stock } from "./stock.js";
import type { DrawResult } from "./types.js";

/** What a shard knows when a draw comes in: all read synchronously, so the decision and its write are one step. */
export interface DrawView {
  definition: CampaignDefinition;
  adminStatus: AdminStatus;
  now: number;
  /** the stored result of this (user, requestId), if any */
  prior: DrawResult | null;
  /** the user's recorded draws on this campaign */
  userDraws: number;
  stock: Stock;
  coordinatorLeft: Stock;
  /** whether this draw already asked the coordinator (a draw asks at most once) */
  refilled: boolean;
  /** uniform in [0, 1) */
  random: number;
}

export type DrawDecision = { kind: "answer"; result: DrawResult } | { kind: "refill"; need: Stock } | { kind: "draw"; prize: PrizeDefinition | null };

/**
 * The rule of a draw, in order: a repeated request gets its first result; a closed campaign,
 * a user at the limit and an empty pool draw nothing; a shard lacking a prize the coordinator
 * may hold asks it first (once); then a weighted choice among the prizes this shard can award.
 */
export function decideDraw(view: DrawView): DrawDecision {
  const { definition, prior } = view;
  if (prior) return { kind: "answer", result: prior.outcome === "won" || prior.outcome === "lost" ? { ...prior, replay: true } : prior };
  const status = campaignStatus(definition, view.adminStatus, view.now);
  if (status !== "active") return { kind: "answer", result: { outcome: "closed", status } };
  if (view.userDraws >= definition.drawsPerUser) return { kind: "answer", result: { outcome: "limit", draws: view.userDraws } };
  const need = view.refilled ? null : needOf(definition, view.stock, view.coordinatorLeft);
  if (need) return { kind: "refill", need };
  const prizes = awardablePrizes(definition, view.stock);
  if (prizes.length === 0) return { kind: "answer", result: { outcome: "exhausted" } };
  return { kind: "draw", prize: choosePrize(prizes, definition.noPrizeWeight, view.random) };
}

/** `${campaignId}:${userKey}:${drawNo}`: one id per (campaign, user, draw number). */
export function drawIdOf(campaignId: string, userKey: string, drawNo: number): string {
  return `${campaignId}:${userKey}:${drawNo}`;
}
