import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { botHandoffOf } from "../../../durable-objects/handoff/bot-handoff.js";
import { botParamsSchema } from "../../../src/protocol/admin.js";
import { auditAnswerSchema, cannedAnswerSchema, queueParamsSchema, queueViewSchema, ticketsAnswerSchema } from "../../../src/protocol/agent.js";
import { ApiError } from "../../../src/protocol/errors.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { authErrors, bearerSecurity, queryErrors } from "../openapi.js";
import { adminOnly, agentOf, agentOnly, errorDoc, queueOf } from "./agent-common.js";

const notFound = { 404: errorDoc("no such bot, or its stable version has no such handoff queue") };
const limitQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const getQueue = createRoute({
  method: "get",
  path: "/v1/agent/queues/{bot}/{queue}",
  summary: "A queue: its waiting line, what the calling agent holds in it, and its figures",
  security: bearerSecurity,
  middleware: agentOnly,
  request: { params: queueParamsSchema },
  responses: { 200: { description: "the queue", content: { "application/json": { schema: queueViewSchema } } }, ...notFound, ...authErrors },
});

const getTickets = createRoute({
  method: "get",
  path: "/v1/agent/queues/{bot}/{queue}/tickets",
  summary: "Messages users left when nobody could take their conversation, newest first",
  security: bearerSecurity,
  middleware: agentOnly,
  request: { params: queueParamsSchema, query: limitQuerySchema },
  responses: { 200: { description: "tickets", content: { "application/json": { schema: ticketsAnswerSchema } } }, ...notFound, ...queryErrors, ...authErrors },
});

const getAudit = createRoute({
  method: "get",
  path: "/v1/agent/queues/{bot}/{queue}/audit",
  summary: "Who claimed, replied, noted, transferred and ended which entry, when (admin scope; never message text)",
  security: bearerSecurity,
  middleware: adminOnly,
  request: { params: queueParamsSchema, query: limitQuerySchema },
  responses: {
    200: { description: "the audit trail", content: { "application/json": { schema: auditAnswerSchema } } },
    ...notFound,
    ...queryErrors,
    ...authErrors,
  },
});

const getCanned = createRoute({
  method: "get",
  path: "/v1/agent/bots/{bot}/canned",
  summary: "The canned replies of the bot's stable version (handoff.cannedReplies)",
  security: bearerSecurity,
  middleware: agentOnly,
  request: { params: botParamsSchema },
  responses: {
    200: { description: "canned replies", content: { "application/json": { schema: cannedAnswerSchema } } },
    404: errorDoc("no such bot"),
    ...authErrors,
  },
});

export const agentQueueRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook });

agentQueueRoutes.openapi(getQueue, async (c) => {
  const { bot, queue } = c.req.valid("param");
  const stub = await queueOf(c.env, bot, queue);
  return c.json(await stub.view(agentOf(c.get("principal"))), 200);
});

agentQueueRoutes.openapi(getTickets, async (c) => {
  const { bot, queue } = c.req.valid("param");
  const stub = await queueOf(c.env, bot, queue);
  return c.json({ tickets: await stub.tickets(c.req.valid("query").limit) }, 200);
});

agentQueueRoutes.openapi(getAudit, async (c) => {
  const { bot, queue } = c.req.valid("param");
  const stub = await queueOf(c.env, bot, queue);
  return c.json({ audit: await stub.audit(c.req.valid("query").limit) }, 200);
});

agentQueueRoutes.openapi(getCanned, async (c) => {
  const { bot } = c.req.valid("param");
  const found = await botHandoffOf(c.env, bot);
  if (!found) throw new ApiError("not_found", `no bot "${bot}"`);
  return c.json({ bot, version: found.version, cannedReplies: found.handoff.cannedReplies }, 200);
});
