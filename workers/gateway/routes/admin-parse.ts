import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { UnknownBotError } from "../../../platform/bot-catalog.js";
import { parseUtterance } from "../../../src/dialog/index.js";
import { botParamsSchema, parseAnswerSchema, parseBodySchema } from "../../../src/protocol/admin.js";
import { ApiError } from "../../../src/protocol/errors.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { jsonBody } from "../middleware/json-body.js";
import { authErrors, bearerSecurity, bodyErrors } from "../openapi.js";
import { adminOnly, catalogOf, errorDoc } from "./admin-common.js";

const parse = createRoute({
  method: "post",
  path: "/v1/admin/bots/{bot}/parse",
  summary: "What the NLU of a bot version (default: stable) makes of a sentence",
  security: bearerSecurity,
  middleware: [jsonBody(), ...adminOnly],
  request: { params: botParamsSchema, body: { required: true, content: { "application/json": { schema: parseBodySchema } } } },
  responses: {
    200: {
      description: "intent, confidence, entities, alternatives, the nearest knowledge and small-talk entries with their scores",
      content: { "application/json": { schema: parseAnswerSchema } },
    },
    404: errorDoc("no such bot or version"),
    ...bodyErrors,
    ...authErrors,
  },
});

/** Parses with the catalog's compiled bot: the very model conversations in this isolate use. */
export const adminParseRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook }).openapi(parse, async (c) => {
  const { bot } = c.req.valid("param");
  const { text, version } = c.req.valid("json");
  const catalog = catalogOf(c.env);
  try {
    const compiled = await catalog.version(bot, version ?? (await catalog.rollout(bot)).stable);
    return c.json({ ...parseUtterance(compiled, text), botVersion: compiled.version }, 200);
  } catch (error) {
    if (error instanceof UnknownBotError) throw new ApiError("not_found", error.message);
    throw error;
  }
});
