import { botHandoffOf, queueKeyOf } from "../../../durable-objects/handoff/bot-handoff.js";
import type { Env } from "../../../platform/env.js";
import type { AgentRef } from "../../../src/handoff/types.js";
import { ApiError, errorBodySchema } from "../../../src/protocol/errors.js";
import type { Principal } from "../../../src/security/jwt.js";
import { authenticate, requireScope } from "../middleware/auth.js";

/** Every agent route: a verified token with the `agent` scope (401, then 403). */
export const agentOnly = [authenticate, requireScope("agent")];
/** The audit trail is for admins. */
export const adminOnly = [authenticate, requireScope("admin")];

/** The agent a token speaks for: its `sub`, shown to users by its `name` claim (else the sub). */
export function agentOf(principal: Principal): AgentRef {
  return { agentId: principal.userId, agentName: principal.name ?? principal.userId };
}

/** The bot's queue, if its stable version names it in `handoff.queues`; 404 otherwise. */
export async function queueOf(env: Env, bot: string, queue: string) {
  const found = await botHandoffOf(env, bot);
  if (!found) throw new ApiError("not_found", `no bot "${bot}"`);
  if (!found.handoff.queues.includes(queue)) throw new ApiError("not_found", `bot "${bot}" has no handoff queue "${queue}"`);
  return env.HANDOFF.getByName(queueKeyOf(bot, queue));
}

export function errorDoc(description: string) {
  return { description, content: { "application/json": { schema: errorBodySchema } } };
}
