import { describe, expect, it } from "vitest";
import { rolloutSchema, versionsOf, withoutCanary } from "../../../src/rollout/rollout.js";

describe("rolloutSchema", () => {
  it("accepts a stable version alone, or with a suffix or percent canary and a guard", () => {
    expect(rolloutSchema.safeParse({ stable: "1" }).success).toBe(true);
    expect(rolloutSchema.safeParse({ stable: "1", canary: { version: "2", suffixes: ["7"] } }).success).toBe(true);
    const guarded = { stable: "1", canary: { version: "2", percent: 5, guard: { maxFallbackRate: 0.2, minTurns: 50 } } };
    expect(rolloutSchema.safeParse(guarded).success).toBe(true);
  });

  const refused: [string, unknown][] = [
    ["a canary with neither suffixes nor percent", { stable: "1", canary: { version: "2" } }],
    ["a percent over 100", { stable: "1", canary: { version: "2", percent: 101 } }],
    ["a canary on the stable version", { stable: "1", canary: { version: "1", suffixes: ["7"] } }],
    ["an unknown field", { stable: "1", cohort: "all" }],
    ["a version with a slash", { stable: "../1" }],
    ["a guard rate over 1", { stable: "1", canary: { version: "2", percent: 5, guard: { maxFallbackRate: 2, minTurns: 5 } } }],
  ];
  for (const [name, body] of refused) {
    it(`refuses ${name}`, () => expect(rolloutSchema.safeParse(body).success).toBe(false));
  }
});

describe("versionsOf and withoutCanary", () => {
  it("name every version a rollout uses, and drop the canary", () => {
    const rollout = { stable: "1", canary: { version: "2", suffixes: ["7"] } };
    expect(versionsOf(rollout)).toEqual(["1", "2"]);
    expect(versionsOf({ stable: "1" })).toEqual(["1"]);
    expect(withoutCanary(rollout)).toEqual({ stable: "1" });
  });
});
