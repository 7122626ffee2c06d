import type { Env } from "../../platform/env.js";

/** The user's conversation actor. Named by the token's `sub` only — never by a path or body field. */
export function conversationOf(env: Env, userId: string) {
  return env.CONVERSATION.getByName(userId);
}
