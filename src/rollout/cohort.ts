import { fnv1a } from "../dialog/actions/hash.js";
import type { Cohort, Rollout } from "./rollout.js";

/** FNV-1a, 32 bit: stable across isolates and releases, so a user never changes cohort by chance. */
export const stableHash = fnv1a;

/** Where `userId` falls in [0, 100): the percent bucket. */
export function percentile(userId: string): number {
  return (stableHash(userId) % 10_000) / 100;
}

/**
 * The cohort of a user under a rollout: canary when the ID ends with one of the
 * canary's suffixes, or when its stable hash falls under the canary's percent.
 *
 * @example
 * cohortOf("u7", { stable: "1", canary: { version: "2", suffixes: ["7"] } }); // { cohort: "canary", version: "2" }
 */
export function cohortOf(userId: string, rollout: Rollout): { cohort: Cohort; version: string } {
  const canary = rollout.canary;
  if (canary) {
    const bySuffix = canary.suffixes?.some((suffix) => userId.endsWith(suffix)) ?? false;
    const byPercent = canary.percent !== undefined && percentile(userId) < canary.percent;
    if (bySuffix || byPercent) return { cohort: "canary", version: canary.version };
  }
  return { cohort: "stable", version: rollout.stable };
}
