import { describe, expect, it } from "vitest";
import { fullBucket, take } from "../../../src/security/token-bucket.js";

const limits = { capacity: 3, perSecond: 0.5 };

describe("token bucket", () => {
  it("allows a burst of `capacity`, then refuses with the wait until the next token", () => {
    let bucket = fullBucket(limits, 0);
    for (let i = 0; i < 3; i++) {
      const result = take(bucket, limits, 0);
      expect(result.allowed).toBe(true);
      bucket = result.bucket;
    }
    const refused = take(bucket, limits, 0);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBe(2000);
  });

  it("refills over time, never above capacity", () => {
    let bucket = fullBucket(limits, 0);
    for (let i = 0; i < 3; i++) bucket = take(bucket, limits, 0).bucket;
    expect(take(bucket, limits, 1999).allowed).toBe(false);
    expect(take(bucket, limits, 2000).allowed).toBe(true);
    const later = take(bucket, limits, 3_600_000);
    expect(later.bucket.tokens).toBe(2);
  });
});
