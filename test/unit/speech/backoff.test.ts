import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, backoffPolicyOf, retryDelaySeconds } from "../../../src/speech/backoff.js";

const policy = { baseSeconds: 2, maxSeconds: 60 };

describe("retryDelaySeconds", () => {
  it("doubles the window with each failed delivery", () => {
    const lowest = [1, 2, 3, 4, 5].map((attempts) => retryDelaySeconds(attempts, policy, () => 0));
    const highest = [1, 2, 3, 4, 5].map((attempts) => retryDelaySeconds(attempts, policy, () => 1));
    expect(lowest).toEqual([1, 2, 4, 8, 16]);
    expect(highest).toEqual([2, 4, 8, 16, 32]);
  });

  it("jitters within [half, all] of the window", () => {
    const delays = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const delay = retryDelaySeconds(4, policy);
      expect(delay).toBeGreaterThanOrEqual(8);
      expect(delay).toBeLessThanOrEqual(16);
      delays.add(delay);
    }
    expect(delays.size).toBeGreaterThan(3);
  });

  it("is capped, also for absurd attempt counts", () => {
    expect(retryDelaySeconds(10, policy, () => 1)).toBe(60);
    expect(retryDelaySeconds(10_000, policy, () => 1)).toBe(60);
    expect(retryDelaySeconds(3, { baseSeconds: 1e9, maxSeconds: 1e9 }, () => 1)).toBe(86_400);
  });

  it("is 0 with a zero base (tests), and never negative", () => {
    expect(retryDelaySeconds(3, { baseSeconds: 0, maxSeconds: 60 })).toBe(0);
    expect(retryDelaySeconds(0, policy, () => 0)).toBe(1);
  });
});

describe("backoffPolicyOf", () => {
  it("reads the settings and falls back on the defaults", () => {
    expect(backoffPolicyOf({})).toEqual(DEFAULT_BACKOFF);
    expect(backoffPolicyOf({ VOICE_RETRY_BASE_SECONDS: "0", VOICE_RETRY_MAX_SECONDS: "10" })).toEqual({ baseSeconds: 0, maxSeconds: 10 });
    expect(backoffPolicyOf({ VOICE_RETRY_BASE_SECONDS: "soon", VOICE_RETRY_MAX_SECONDS: "-3" })).toEqual(DEFAULT_BACKOFF);
  });
});
