/**
 * A token bucket: `capacity` turns at once, refilled at `perSecond`. Pure: the caller keeps
 * the bucket and passes the clock.
 *
 * @example
 * let bucket = fullBucket(limits, now);
 * const { allowed, bucket: next, retryAfterMs } = take(bucket, limits, now);
 */
export interface BucketLimits {
  capacity: number;
  perSecond: number;
}

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function fullBucket(limits: BucketLimits, now: number): Bucket {
  return { tokens: limits.capacity, updatedAt: now };
}

export function take(bucket: Bucket, limits: BucketLimits, now: number): { allowed: boolean; bucket: Bucket; retryAfterMs: number } {
  const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
  const tokens = Math.min(limits.capacity, bucket.tokens + elapsed * limits.perSecond);
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, updatedAt: now }, retryAfterMs: 0 };
  return { allowed: false, bucket: { tokens, updatedAt: now }, retryAfterMs: Math.ceil(((1 - tokens) / limits.perSecond) * 1000) };
}
