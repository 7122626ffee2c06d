export interface BackoffPolicy {
  /** The ceiling of the first retry's delay. */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
}

/** Short enough that a user who waits sees the chat come back quickly after an outage. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 10_000 };

/**
 * "Full jitter": a uniform delay in [0, min(max, base·2^attempt)). Spreading retries over
 * the whole window keeps thousands of widgets from reconnecting in lockstep after an outage.
 *
 * @example
 * backoffDelay(0, DEFAULT_BACKOFF); // somewhere in [0, 500)
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
