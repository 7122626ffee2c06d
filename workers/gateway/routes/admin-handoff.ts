import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { botHandoffOf, queueKeyOf } from "../../../durable-objects/handoff/bot-handoff.js";
import { readMetrics } from "../../../durable-objects/metrics/metrics-shards.js";
import type { Env } from "../../../platform/env.js";
import { logEvent } from "../../../platform/log.js";
import { handoffQueuesSeen } from "../../../src/metrics/handoff-facts.js";
import type { MetricSet } from "../../../src/metrics/series.js";
import type { AdminHandoffAnswer, HandoffQueueFigures } from "../../../src/protocol/admin-handoff.js";
import { adminHandoffAnswerSchema, adminHandoffQuerySchema } from "../../../src/protocol/admin-handoff.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { authErrors, bearerSecurity, queryErrors } from "../openapi.js";
import { adminOnly } from "./admin-common.js";

const getHandoff = createRoute({
  method: "get",
  path: "/v1/admin/handoff",
  summary: "Every handoff queue's figures now: waiting, agents online, wait p50/p90, handled, abandoned, tickets, satisfaction",
  security: bearerSecurity,
  middleware: adminOnly,
  request: { query: adminHandoffQuerySchema },
  responses: {
    200: { description: "one row per queue, read live from each queue", content: { "application/json": { schema: adminHandoffAnswerSchema } } },
    ...queryErrors,
    ...authErrors,
  },
});

type QueueName = { bot: string; queue: string };

/**
 * The queues worth reading: every queue the merged counters name, and every queue of the stable
 * version of every bot that committed a turn (or was asked for), so a staffed queue shows before
 * its first conversation. No index to keep: the metrics already know the bots.
 */
async function knownQueues(env: Env, totals: MetricSet, extraBots: readonly string[]): Promise<QueueName[]> {
  const seen = handoffQueuesSeen(totals);
  const bots = [...new Set([...seen.bots, ...extraBots])];
  const byKey = new Map(seen.queues.map((name) => [queueKeyOf(name.bot, name.queue), name]));
  const definitions = await Promise.all(bots.map((bot) => botHandoffOf(env, bot).catch(() => null)));
  definitions.forEach((found, i) => {
    const bot = bots[i];
    if (bot !== undefined) for (const queue of found?.handoff.queues ?? []) byKey.set(queueKeyOf(bot, queue), { bot, queue });
  });
  return [...byKey.values()].sort((a, b) => a.bot.localeCompare(b.bot) || a.queue.localeCompare(b.queue));
}

/**
 * Each known queue's live figures (one RPC each, in parallel), the queues found from the merged
 * counters `totals` (see knownQueues). A queue that does not answer is listed as unreachable
 * rather than failing the whole answer, like an aggregator shard. GET /metrics reads it too, for
 * the `parley_handoff_waiting` and `parley_handoff_agents_online` gauges.
 */
export async function handoffFigures(env: Env, totals: MetricSet, extraBots: readonly string[] = []): Promise<Omit<AdminHandoffAnswer, "generatedAt">> {
  const names = await knownQueues(env, totals, extraBots);
  const read = await Promise.allSettled(names.map((name) => env.HANDOFF.getByName(queueKeyOf(name.bot, name.queue)).stats()));
  const queues: HandoffQueueFigures[] = [];
  const unreachable: QueueName[] = [];
  read.forEach((result, i) => {
    const name = names[i];
    if (!name) return;
    if (result.status === "fulfilled") queues.push({ ...name, stats: result.value });
    else {
      unreachable.push(name);
      logEvent("warn", "handoff queue unreachable", { bot: name.bot, queue: name.queue, error: String(result.reason) });
    }
  });
  return { queues, unreachable };
}

/** `GET /v1/admin/handoff` (docs/observability.md): what the /admin "Human handoff" panel shows. */
export const adminHandoffRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook }).openapi(getHandoff, async (c) => {
  const asked = c.req.valid("query").bot;
  const extraBots = asked === undefined ? [] : Array.isArray(asked) ? asked : [asked];
  const { totals } = await readMetrics(c.env);
  return c.json({ generatedAt: Date.now(), ...(await handoffFigures(c.env, totals, extraBots)) }, 200);
});
