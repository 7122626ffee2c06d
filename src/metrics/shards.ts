/** Aggregator shards when METRICS_SHARDS is not set. */
export const DEFAULT_METRICS_SHARDS = 8;
/** The most shards /metrics will read: each read is one RPC per shard. */
export const MAX_METRICS_SHARDS = 64;

/**
 * METRICS_SHARDS, clamped to 1..64. Raise it freely; lowering it hides the counts of the
 * shards dropped (they are still stored, but no longer read).
 */
export function shardCountOf(setting: string | undefined): number {
  const parsed = Number.parseInt(setting ?? "", 10);
  if (!Number.isFinite(parsed) || parsed < 1) return DEFAULT_METRICS_SHARDS;
  return Math.min(parsed, MAX_METRICS_SHARDS);
}

export function shardName(index: number): string {
  return `metrics-${index}`;
}

/**
 * The shard that keeps a voice job's stage: always the same one for the same job, so its
 * moves meet in one place whichever isolate reports them (FNV-1a, 32 bit).
 */
export function shardOfJob(jobId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < jobId.length; i++) {
    hash ^= jobId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}
