import type { Env } from "../../platform/env.js";
import type { Refusal } from "../../src/protocol/errors.js";
import { refusal } from "../../src/protocol/errors.js";
import type { Bucket, BucketLimits } from "../../src/security/token-bucket.js";
import { fullBucket, take } from "../../src/security/token-bucket.js";

export const DEFAULT_USER_BURST = 30;
export const DEFAULT_USER_PER_SECOND = 2;

export function userLimits(env: Env): BucketLimits {
  return {
    capacity: Number(env.RATE_LIMIT_USER_BURST) || DEFAULT_USER_BURST,
    perSecond: Number(env.RATE_LIMIT_USER_PER_SECOND) || DEFAULT_USER_PER_SECOND,
  };
}

/**
 * A user's turn budget, kept in their actor's memory: no shared counter on the hot path.
 * Eviction refills it, which only ever errs towards letting a user talk.
 */
export class UserRateLimit {
  private bucket: Bucket;

  constructor(
    private readonly limits: BucketLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.bucket = fullBucket(limits, now());
  }

  /** Takes one turn from the budget: null, or the 429 the gateway passes on. */
  admit(): Refusal | null {
    const result = take(this.bucket, this.limits, this.now());
    this.bucket = result.bucket;
    if (result.allowed) return null;
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    return refusal("rate_limited", `too many messages; try again in ${seconds} s`, { "retry-after": String(seconds) });
  }
}
