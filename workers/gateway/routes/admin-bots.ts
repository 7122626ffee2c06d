import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import type { RolloutResult } from "../../../durable-objects/registry/bot-registry.js";
import { botOverviewSchema, botParamsSchema, rolloutAnswerSchema, rolloutBodySchema } from "../../../src/protocol/admin.js";
import { ApiError } from "../../../src/protocol/errors.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { jsonBody } from "../middleware/json-body.js";
import { authErrors, bearerSecurity, bodyErrors } from "../openapi.js";
import { adminOnly, errorDoc, registryOf } from "./admin-common.js";

const notFound = { 404: errorDoc("no such bot, or a version it names is not published") };

const getBot = createRoute({
  method: "get",
  path: "/v1/admin/bots/{bot}",
  summary: "A bot's versions with their outcome counters, its rollout and the audit trail of rollout changes",
  security: bearerSecurity,
  middleware: adminOnly,
  request: { params: botParamsSchema },
  responses: { 200: { description: "the bot", content: { "application/json": { schema: botOverviewSchema } } }, ...notFound, ...authErrors },
});

const putRollout = createRoute({
  method: "put",
  path: "/v1/admin/bots/{bot}/rollout",
  summary: "Set the rollout: a stable version and an optional canary (suffixes and/or percent, optional guard)",
  security: bearerSecurity,
  middleware: [jsonBody(), ...adminOnly],
  request: { params: botParamsSchema, body: { required: true, content: { "application/json": { schema: rolloutBodySchema } } } },
  responses: {
    200: { description: "the rollout; every conversation follows within seconds", content: { "application/json": { schema: rolloutAnswerSchema } } },
    ...notFound,
    ...bodyErrors,
    ...authErrors,
  },
});

const postRollback = createRoute({
  method: "post",
  path: "/v1/admin/bots/{bot}/rollback",
  summary: "Remove the canary: everybody back on stable within seconds (flows in progress finish on their version)",
  security: bearerSecurity,
  middleware: adminOnly,
  request: { params: botParamsSchema },
  responses: {
    200: { description: "the rollout without a canary", content: { "application/json": { schema: rolloutAnswerSchema } } },
    ...notFound,
    ...authErrors,
  },
});

function rolloutOrNotFound(result: RolloutResult, bot: string) {
  if (result.ok) return { rollout: result.rollout };
  if (result.reason === "unknown_bot") throw new ApiError("not_found", `no bot "${bot}"`);
  throw new ApiError("not_found", `version "${result.version}" of "${bot}" is not published`);
}

export const adminBotRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook });

adminBotRoutes.openapi(getBot, async (c) => {
  const { bot } = c.req.valid("param");
  const overview = await registryOf(c.env).describe(bot);
  if (!overview) throw new ApiError("not_found", `no bot "${bot}"`);
  return c.json(overview, 200);
});

adminBotRoutes.openapi(putRollout, async (c) => {
  const { bot } = c.req.valid("param");
  const result = await registryOf(c.env).setRollout(bot, c.req.valid("json"), c.get("principal").userId);
  return c.json(rolloutOrNotFound(result, bot), 200);
});

adminBotRoutes.openapi(postRollback, async (c) => {
  const { bot } = c.req.valid("param");
  const result = await registryOf(c.env).rollback(bot, c.get("principal").userId);
  return c.json(rolloutOrNotFound(result, bot), 200);
});
