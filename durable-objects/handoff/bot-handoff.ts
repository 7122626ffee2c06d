import type { BotCatalog } from "../../platform/bot-catalog.js";
import { DEFAULT_ROLLOUT_TTL_MS, UnknownBotError, sharedCatalog } from "../../platform/bot-catalog.js";
import type { Env } from "../../platform/env.js";
import type { HandoffDef } from "../../src/dialog/schema.js";

export interface BotHandoff {
  /** the bot's stable version: what agents' queues and canned replies follow */
  version: string;
  handoff: HandoffDef;
}

/**
 * The `handoff` section of a bot's stable version, from the isolate's catalog (cached; a rollout
 * reaches it within seconds), or from `catalog`: a Durable Object passes a catalog of its own, so
 * it never awaits a registry call another object's context started (such a promise can stall
 * when that context is gone). Null for a bot the registry does not know.
 */
export async function botHandoffOf(
  env: Env,
  bot: string,
  catalog: BotCatalog = sharedCatalog(env.REGISTRY, Number(env.ROLLOUT_TTL_MS ?? DEFAULT_ROLLOUT_TTL_MS)),
): Promise<BotHandoff | null> {
  try {
    const { stable } = await catalog.rollout(bot);
    const compiled = await catalog.version(bot, stable);
    return { version: compiled.version, handoff: compiled.definition.handoff };
  } catch (error) {
    if (error instanceof UnknownBotError) return null;
    throw error;
  }
}

/** A queue is named `${bot}:${queue}`; queue names are identifiers, so the last colon splits. */
export function queueKeyOf(bot: string, queue: string): string {
  return `${bot}:${queue}`;
}

export function splitQueueKey(key: string): { bot: string; queue: string } | null {
  const at = key.lastIndexOf(":");
  return at > 0 && at < key.length - 1 ? { bot: key.slice(0, at), queue: key.slice(at + 1) } : null;
}
