import type { OutcomeCounts } from "./outcomes.js";
import type { CanaryGuard } from "./rollout.js";

/** What the canary's guard makes of the turns counted since the canary started. */
export type GuardVerdict =
  | { verdict: "wait"; turns: number; minTurns: number }
  | { verdict: "healthy"; fallbackRate: number }
  | { verdict: "breached"; fallbackRate: number; reason: string };

/**
 * Judges a canary by its fallback rate, once it has served `minTurns` turns: too few
 * turns say nothing (one confused user would roll back every canary).
 *
 * @example
 * judgeCanary({ maxFallbackRate: 0.3, minTurns: 4 }, { turns: 4, fallbacks: 2, handoffs: 0, errors: 0 });
 * // { verdict: "breached", fallbackRate: 0.5, reason: "fallback rate 0.50 > 0.30 over 4 turns" }
 */
export function judgeCanary(guard: CanaryGuard, window: OutcomeCounts): GuardVerdict {
  if (window.turns < guard.minTurns) return { verdict: "wait", turns: window.turns, minTurns: guard.minTurns };
  const fallbackRate = window.fallbacks / window.turns;
  if (fallbackRate <= guard.maxFallbackRate) return { verdict: "healthy", fallbackRate };
  const reason = `fallback rate ${fallbackRate.toFixed(2)} > ${guard.maxFallbackRate.toFixed(2)} over ${window.turns} turns`;
  return { verdict: "breached", fallbackRate, reason };
}
