import type { Env } from "../platform/env.js";
import { applyLogLevel } from "../platform/log.js";
import { sharedMetrics } from "../platform/metrics-batcher.js";
import { gateway } from "./gateway/app.js";
import { handleVoiceBatch } from "./speech/queue.js";

export { CampaignCoordinator } from "../durable-objects/campaign/campaign-coordinator.js";
export { CampaignIndex } from "../durable-objects/campaign/campaign-index.js";
export { CampaignShard } from "../durable-objects/campaign/campaign-shard.js";
export { ConversationActor } from "../durable-objects/conversation/conversation-actor.js";
export { HandoffQueue } from "../durable-objects/handoff/handoff-queue.js";
export { MetricsAggregator } from "../durable-objects/metrics/metrics-aggregator.js";
export { BotRegistry } from "../durable-objects/registry/bot-registry.js";
export { PayoutSaga } from "../workflows/payout-saga.js";

export default {
  fetch: (request, env, ctx) => {
    applyLogLevel(env.LOG_LEVEL);
    return gateway.fetch(request, env, ctx);
  },
  // The speech consumers (ASR, TTS, dead letters), told apart by batch.queue. What a batch
  // counted (retries, dead letters) is sent when it ends: batches are few (max_concurrency),
  // and a timer would hold the invocation open. (`ctx` is optional: tests call this directly.)
  queue: (batch, env, ctx?: ExecutionContext) => {
    applyLogLevel(env.LOG_LEVEL);
    return handleVoiceBatch(batch, env).finally(() => ctx?.waitUntil(sharedMetrics(env).flush()));
  },
} satisfies ExportedHandler<Env>;
