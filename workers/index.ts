import type { Env } from "./env.js";
import { gateway } from "./gateway/app.js";
import { handleVoiceBatch } from "./speech/queue.js";

export { ConversationActor } from "../durable-objects/conversation.js";
export { BotRegistry } from "../durable-objects/registry.js";

export default {
  fetch: (request, env, ctx) => gateway.fetch(request, env, ctx),
  // The speech consumers (ASR, TTS, dead letters), told apart by batch.queue.
  queue: (batch, env) => handleVoiceBatch(batch, env),
} satisfies ExportedHandler<Env>;
