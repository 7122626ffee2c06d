import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, backoffDelay } from "../../../widget/core/backoff.js";

describe("backoffDelay (full jitter)", () => {
  const policy = { baseMs: 100, maxMs: 5_000 };

  it("spans [0, base·2^attempt): the lowest and highest draws", () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(0);
    expect(backoffDelay(0, policy, () => 0.999_999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.999_999)).toBe(799);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
  });

  it("never exceeds the cap, however many attempts", () => {
    expect(backoffDelay(6, policy, () => 0.999_999)).toBe(4_999);
    expect(backoffDelay(1_000, policy, () => 0.999_999)).toBe(4_999);
  });

  it("treats a negative attempt as the first", () => {
    expect(backoffDelay(-3, policy, () => 0.5)).toBe(50);
  });

  it("spreads real random draws over the whole window", () => {
    const draws = Array.from({ length: 2_000 }, () => backoffDelay(4, DEFAULT_BACKOFF));
    const ceiling = Math.min(DEFAULT_BACKOFF.maxMs, DEFAULT_BACKOFF.baseMs * 16);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(ceiling);
    expect(draws.filter((delay) => delay < ceiling / 2).length).toBeGreaterThan(800);
    expect(draws.filter((delay) => delay >= ceiling / 2).length).toBeGreaterThan(800);
  });
});
