import type { Env } from "./env.js";
import { gateway } from "./gateway/app.js";

export { ConversationActor } from "../durable-objects/conversation.js";
export { BotRegistry } from "../durable-objects/registry.js";

export default {
  fetch: (request, env, ctx) => gateway.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
