import type { Env } from "../../platform/env.js";
import { campaignIdSchema } from "../../src/campaign/schema.js";
import { shardName, shardOf } from "../../src/campaign/shard-of.js";
import type { DrawRequest, DrawResult } from "../../src/campaign/types.js";

/** Shard counts by campaign id: a campaign's count never changes once created. Bounded, like every per-isolate cache. */
const SHARD_COUNTS_MAX = 1024;
const shardCounts = new Map<string, number>();

async function shardCountOf(env: Env, campaignId: string): Promise<number | null> {
  const known = shardCounts.get(campaignId);
  if (known !== undefined) return known;
  const view = await env.CAMPAIGN_COORDINATOR.getByName(campaignId).get(campaignId);
  if (!view) return null;
  if (shardCounts.size >= SHARD_COUNTS_MAX) shardCounts.clear();
  shardCounts.set(campaignId, view.definition.shards);
  return view.definition.shards;
}

/**
 * A user's draw: to the shard `hash(userKey) % N` of the campaign. The coordinator is asked for N
 * once per isolate and campaign; after that a draw is one call to one shard. An id that is not a
 * campaign's is `closed` / `unknown`.
 *
 * @example
 * await drawFromCampaign(env, { campaignId: "spring-lottery", userKey, requestId, conversationId, language: "en" });
 */
export async function drawFromCampaign(env: Env, request: DrawRequest): Promise<DrawResult> {
  if (!campaignIdSchema.safeParse(request.campaignId).success) return { outcome: "closed", status: "unknown" };
  const shards = await shardCountOf(env, request.campaignId);
  if (shards === null) return { outcome: "closed", status: "unknown" };
  return env.CAMPAIGN_SHARD.getByName(shardName(request.campaignId, shardOf(request.userKey, shards))).draw(request);
}
