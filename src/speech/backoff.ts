/** How long a failed speech step waits before its next delivery. */
export interface BackoffPolicy {
  /** The first retry waits about this long; each later one twice as long as the one before. */
  baseSeconds: number;
  /** No wait is longer than this. */
  maxSeconds: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseSeconds: 2, maxSeconds: 120 };

/** Queues refuses a `delaySeconds` above 24 hours. */
const QUEUES_MAX_DELAY_SECONDS = 86_400;

/**
 * Exponential backoff with "equal jitter": after the n-th failed delivery wait between half
 * and all of `base · 2^(n-1)` (capped). The random half spreads retries of jobs that
 * failed together (a provider outage) so they do not all return at the same second; the
 * fixed half keeps the growth.
 *
 * @example
 * retryDelaySeconds(3, { baseSeconds: 2, maxSeconds: 120 }, () => 0.5) // 6: between 4 and 8
 */
export function retryDelaySeconds(attempts: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.floor(attempts) - 1);
  const ceiling = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.min(exponent, 30));
  const delay = Math.ceil(ceiling / 2 + random() * (ceiling / 2));
  return Math.min(Math.max(0, delay), QUEUES_MAX_DELAY_SECONDS);
}

/** VOICE_RETRY_BASE_SECONDS / VOICE_RETRY_MAX_SECONDS, each falling back to its default when unset or invalid. */
export function backoffPolicyOf(settings: { VOICE_RETRY_BASE_SECONDS?: string; VOICE_RETRY_MAX_SECONDS?: string }): BackoffPolicy {
  return {
    baseSeconds: seconds(settings.VOICE_RETRY_BASE_SECONDS, DEFAULT_BACKOFF.baseSeconds),
    maxSeconds: seconds(settings.VOICE_RETRY_MAX_SECONDS, DEFAULT_BACKOFF.maxSeconds),
  };
}

function seconds(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}
