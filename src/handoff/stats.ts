/** Per-queue figures (issue 21): what the /admin tiles and the agents' page show. */
export interface QueueStats {
  waiting: number;
  /** wait time of claimed entries (wait start → claim), seconds; null before the first claim */
  waitP50Seconds: number | null;
  waitP90Seconds: number | null;
  /** entries an agent claimed */
  handled: number;
  /** entries cancelled while waiting (the user went back to the bot, or erased the conversation) */
  abandoned: number;
  tickets: number;
  agentsOnline: number;
  /** mean of the 1–5 ratings the conversations reported; null before the first */
  satisfaction: number | null;
  ratings: number;
}

/**
 * The nearest-rank percentile of `values` (0 < p ≤ 100): a value that occurred, not an
 * interpolation. Null for no values.
 *
 * @example
 * percentile([5, 1, 3], 50); // 3
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/** What the queue counts, as it counts it. */
export interface QueueCounts {
  waiting: number;
  /** waits (wait start → claim, ms) of recent claims */
  claimWaitsMs: readonly number[];
  handled: number;
  abandoned: number;
  tickets: number;
  agentsOnline: number;
  ratings: number;
  ratingSum: number;
}

/** The figures of {@link QueueStats} from the queue's counts. */
export function queueStatsOf(counts: QueueCounts): QueueStats {
  const waits = counts.claimWaitsMs.map((ms) => Math.max(0, Math.round(ms / 1000)));
  return {
    waiting: counts.waiting,
    waitP50Seconds: percentile(waits, 50),
    waitP90Seconds: percentile(waits, 90),
    handled: counts.handled,
    abandoned: counts.abandoned,
    tickets: counts.tickets,
    agentsOnline: counts.agentsOnline,
    satisfaction: counts.ratings > 0 ? Math.round((counts.ratingSum / counts.ratings) * 100) / 100 : null,
    ratings: counts.ratings,
  };
}
