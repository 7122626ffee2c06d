/**
 * Diagnostic probe: Parley's ConversationActor and BotRegistry, called from the baseline's bare
 * fetch handler (same `verifyToken`, same body check, one RPC) instead of Parley's gateway.
 */
import { bareFetch, error } from "../../bare-handler.js";
import type { Env } from "../../../workers/env.js";

export { ConversationActor } from "../../../durable-objects/conversation.js";
export { BotRegistry } from "../../../durable-objects/registry.js";

export default {
  async fetch(request, env) {
    const handle = bareFetch("probe-parley-actor", (turn) => env.CONVERSATION.getByName(turn.userId).turn(turn));
    try {
      return await handle(request, env.ENVIRONMENT);
    } catch (cause) {
      return error(500, cause instanceof Error ? cause.name : "error");
    }
  },
} satisfies ExportedHandler<Env>;
