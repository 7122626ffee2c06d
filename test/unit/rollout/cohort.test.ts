import { describe, expect, it } from "vitest";
import { cohortOf, percentile, stableHash } from "../../../src/rollout/cohort.js";
import type { Rollout } from "../../../src/rollout/rollout.js";

/** IDs shaped like the ones identity providers and the guest route hand out. */
function generatedIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i % 2 === 0 ? `user-${i}` : `guest_${(i * 2654435761).toString(16)}`));
}

describe("cohortOf", () => {
  it("puts a user whose ID ends with a canary suffix in the canary, and nobody else", () => {
    const rollout: Rollout = { stable: "1", canary: { version: "2", suffixes: ["7"] } };
    expect(cohortOf("u7", rollout)).toEqual({ cohort: "canary", version: "2" });
    expect(cohortOf("u3", rollout)).toEqual({ cohort: "stable", version: "1" });
    expect(cohortOf("u70", rollout)).toEqual({ cohort: "stable", version: "1" });
  });

  it("is stable: the same user always lands in the same cohort", () => {
    const rollout: Rollout = { stable: "1", canary: { version: "2", percent: 37 } };
    for (const id of generatedIds(500)) expect(cohortOf(id, rollout)).toEqual(cohortOf(id, { ...rollout }));
    expect(stableHash("u7")).toBe(stableHash("u7"));
  });

  it("without a canary, everybody is on stable", () => {
    expect(cohortOf("u7", { stable: "3" })).toEqual({ cohort: "stable", version: "3" });
  });

  for (const percent of [1, 5, 10, 25, 50, 90]) {
    it(`holds a ${percent}% cohort within ±3% over 10,000 generated IDs`, () => {
      const rollout: Rollout = { stable: "1", canary: { version: "2", percent } };
      const ids = generatedIds(10_000);
      const inCanary = ids.filter((id) => cohortOf(id, rollout).cohort === "canary").length;
      expect(Math.abs((inCanary / ids.length) * 100 - percent)).toBeLessThanOrEqual(3);
    });
  }

  it("grows a percent cohort monotonically: raising percent never moves a user out of the canary", () => {
    const ids = generatedIds(2000);
    const at = (percent: number) => new Set(ids.filter((id) => percentile(id) < percent));
    const small = at(10);
    for (const id of small) expect(at(30).has(id)).toBe(true);
  });

  it("takes the union of suffixes and percent", () => {
    const rollout: Rollout = { stable: "1", canary: { version: "2", suffixes: ["7"], percent: 0 } };
    expect(cohortOf("abc7", rollout).cohort).toBe("canary");
    expect(cohortOf("abc8", { stable: "1", canary: { version: "2", suffixes: ["7"], percent: 100 } }).cohort).toBe("canary");
  });
});
