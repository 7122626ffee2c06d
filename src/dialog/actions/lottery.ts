import type { Json } from "../types.js";
import { fnv1a } from "./hash.js";

/** Prize table: cumulative percent thresholds. "none" is a consolation message, not an error. */
const PRIZES: readonly (readonly [prize: string, upTo: number])[] = [
  ["free_pair", 3],
  ["coupon_50", 15],
  ["coupon_20", 45],
  ["none", 100],
];

/**
 * `lottery.draw`: deterministic given `campaign` and `seed` (the engine derives the
 * seed from the session and time, or the actor passes its own), so replaying a log
 * reproduces the same prize and the engine never needs a random source.
 * One draw per user per campaign is enforced by the flow's state, not here.
 */
export function lotteryDraw(args: Record<string, Json>): Json {
  const campaign = typeof args.campaign === "string" ? args.campaign : "default";
  const roll = fnv1a(`${campaign}|${String(args.seed ?? "")}`) % 100;
  const prize = PRIZES.find(([, upTo]) => roll < upTo)?.[0] ?? "none";
  return { campaign, prize, roll };
}
