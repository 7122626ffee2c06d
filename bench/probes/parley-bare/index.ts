/**
 * Diagnostic probe: all of Parley — its wrangler.toml (assets, bindings, queues) and its
 * Worker — except that `/v1/messages` skips the Hono gateway: the baseline's bare handler
 * (same `verifyToken`, a minimal body check) calls the actor. Parley minus this = what the
 * gateway costs per turn; this minus `parley-actor` = what the rest of Parley's configuration
 * (the asset router in front, the metrics binding) costs.
 *   npm run bench -- --only parley,parley-bare,parley-actor --workloads steady
 */
import { bareFetch, error } from "../../bare-handler.js";
import type { Env } from "../../../workers/env.js";
import parley from "../../../workers/index.js";

export { ConversationActor } from "../../../durable-objects/conversation.js";
export { BotRegistry } from "../../../durable-objects/registry.js";
export { MetricsAggregator } from "../../../durable-objects/metrics-aggregator.js";

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname !== "/v1/messages") return parley.fetch(request, env, ctx);
    const handle = bareFetch("probe-parley-bare", (turn) => env.CONVERSATION.getByName(turn.userId).turn(turn));
    try {
      return await handle(request, env.ENVIRONMENT);
    } catch (cause) {
      return error(500, cause instanceof Error ? cause.name : "error");
    }
  },
  queue: parley.queue,
} satisfies ExportedHandler<Env>;
