/** The shared vocabulary of campaigns (issue 20): the pool's draws and the payout saga's records. */

export type PrizeKind = "cash" | "coupon" | "item";

export interface DrawRequest {
  campaignId: string;
  /** the user's pseudonym (platform/pseudonym.ts), never the raw id */
  userKey: string;
  /** idempotency key of this draw (the chat turn's call id) */
  requestId: string;
  /** the user's ConversationActor id (ctx.id.toString()), for notifications */
  conversationId: string;
  language: "en" | "zh";
}

export interface AwardedPrize {
  id: string;
  kind: PrizeKind;
  amount: number;
  currency: string;
  label: string;
}

export type DrawResult =
  | { outcome: "won"; drawId: string; drawNo: number; prize: AwardedPrize; replay: boolean }
  | { outcome: "lost"; drawId: string; drawNo: number; replay: boolean }
  /** this user has used all draws */
  | { outcome: "limit"; draws: number }
  | { outcome: "closed"; status: "scheduled" | "paused" | "ended" | "unknown" }
  /** nothing left to win anywhere */
  | { outcome: "exhausted" };

export type PayoutState = "reserved" | "paid" | "released";

export interface PayoutRecord {
  drawId: string;
  campaignId: string;
  shard: number;
  userKey: string;
  conversationId: string;
  language: "en" | "zh";
  prizeId: string;
  amount: number;
  currency: string;
  state: PayoutState;
  providerRef?: string;
  reason?: string;
  reservedAt: number;
  settledAt?: number;
}

/** The payout saga's Workflow params. */
export interface PayoutParams {
  drawId: string;
  campaignId: string;
  shard: number;
}

/** What the payout saga tells the winner's conversation (ConversationActor.payoutNotice, idempotent by drawId + outcome). */
export interface PayoutNotice {
  drawId: string;
  outcome: "paid" | "failed";
  prizeId: string;
  amount: number;
  currency: string;
  /** why a payout failed (the provider's business reason), shown to operators, summarised to the user */
  reason?: string;
}
