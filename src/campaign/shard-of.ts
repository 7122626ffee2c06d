/**
 * The shard a user draws on: FNV-1a (32 bits) of the user key, mod the shard count. Stable
 * across isolates and versions — a user's draws, and so the per-user limit, live on one shard.
 *
 * @example
 * shardOf("u-5f2c…", 4); // always the same number in 0..3
 */
export function shardOf(userKey: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userKey.length; i++) {
    hash ^= userKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** A shard's Durable Object name. */
export function shardName(campaignId: string, shard: number): string {
  return `${campaignId}:${shard}`;
}
