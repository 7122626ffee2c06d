import { describe, expect, it } from "vitest";
import { judgeCanary } from "../../../src/rollout/guard.js";

const guard = { maxFallbackRate: 0.3, minTurns: 10 };
const counts = (turns: number, fallbacks: number) => ({ turns, fallbacks, handoffs: 0, errors: 0 });

describe("judgeCanary", () => {
  it("waits for minTurns before judging, however bad the start", () => {
    expect(judgeCanary(guard, counts(9, 9))).toEqual({ verdict: "wait", turns: 9, minTurns: 10 });
  });

  it("is healthy at or under the rate", () => {
    expect(judgeCanary(guard, counts(10, 3))).toEqual({ verdict: "healthy", fallbackRate: 0.3 });
  });

  it("is breached over the rate, and says why", () => {
    const judged = judgeCanary(guard, counts(10, 4));
    expect(judged).toMatchObject({ verdict: "breached", fallbackRate: 0.4 });
    expect(judged.verdict === "breached" && judged.reason).toBe("fallback rate 0.40 > 0.30 over 10 turns");
  });
});
