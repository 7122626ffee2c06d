import { describe, expect, it } from "vitest";
import { percentile, queueStatsOf } from "../../../src/handoff/stats.js";

describe("queue figures", () => {
  it("percentiles are values that occurred (nearest rank)", () => {
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it("wait times in seconds, satisfaction as a mean of the ratings", () => {
    const stats = queueStatsOf({
      waiting: 2,
      claimWaitsMs: [10_000, 20_000, 30_000, 40_000],
      handled: 4,
      abandoned: 1,
      tickets: 3,
      agentsOnline: 2,
      ratings: 3,
      ratingSum: 13,
    });
    expect(stats).toEqual({
      waiting: 2,
      waitP50Seconds: 20,
      waitP90Seconds: 40,
      handled: 4,
      abandoned: 1,
      tickets: 3,
      agentsOnline: 2,
      satisfaction: 4.33,
      ratings: 3,
    });
  });

  it("no claims and no ratings yet: no figures, not zeros", () => {
    const stats = queueStatsOf({ waiting: 0, claimWaitsMs: [], handled: 0, abandoned: 0, tickets: 0, agentsOnline: 0, ratings: 0, ratingSum: 0 });
    expect(stats.waitP50Seconds).toBeNull();
    expect(stats.satisfaction).toBeNull();
  });
});
