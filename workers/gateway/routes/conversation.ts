import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { conversationViewSchema, historyPageSchema, historyQuerySchema } from "../../../src/protocol/conversation.js";
import { conversationOf } from "../actors.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { authenticate, requireScope } from "../middleware/auth.js";
import { authErrors, bearerSecurity, queryErrors } from "../openapi.js";

const chat = [authenticate, requireScope("chat")];

const getConversation = createRoute({
  method: "get",
  path: "/v1/conversation",
  summary: "The caller's conversation: slots (sensitive ones redacted), active flow, bot version, cohort",
  security: bearerSecurity,
  middleware: chat,
  responses: { 200: { description: "the conversation", content: { "application/json": { schema: conversationViewSchema } } }, ...authErrors },
});

const getMessages = createRoute({
  method: "get",
  path: "/v1/conversation/messages",
  summary: "The caller's messages after a seq, in seq order",
  security: bearerSecurity,
  middleware: chat,
  request: { query: historyQuerySchema },
  responses: { 200: { description: "a page of messages", content: { "application/json": { schema: historyPageSchema } } }, ...queryErrors, ...authErrors },
});

const exportConversation = createRoute({
  method: "get",
  path: "/v1/conversation/export",
  summary: "Every event of the caller's conversation as NDJSON (their own data)",
  security: bearerSecurity,
  middleware: chat,
  responses: { 200: { description: "one JSON event per line", content: { "application/x-ndjson": { schema: z.string() } } }, ...authErrors },
});

const deleteConversation = createRoute({
  method: "delete",
  path: "/v1/conversation",
  summary: "Erase everything stored for the caller",
  security: bearerSecurity,
  middleware: chat,
  responses: { 204: { description: "erased" }, ...authErrors },
});

export const conversationRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook });

conversationRoutes.openapi(getConversation, async (c) => {
  const { userId } = c.get("principal");
  return c.json(await conversationOf(c.env, userId).view(), 200);
});

conversationRoutes.openapi(getMessages, async (c) => {
  const { userId } = c.get("principal");
  return c.json(await conversationOf(c.env, userId).history(c.req.valid("query")), 200);
});

// Registered by hand: a typed OpenAPI handler only admits JSON or text answers, and this one is NDJSON.
conversationRoutes.openAPIRegistry.registerPath(exportConversation);
conversationRoutes.get("/v1/conversation/export", authenticate, requireScope("chat"), async (c) => {
  const { userId } = c.get("principal");
  const ndjson = await conversationOf(c.env, userId).exportEvents();
  return c.body(ndjson, 200, {
    "content-type": "application/x-ndjson; charset=utf-8",
    "content-disposition": 'attachment; filename="parley-conversation.ndjson"',
  });
});

conversationRoutes.openapi(deleteConversation, async (c) => {
  const { userId } = c.get("principal");
  await conversationOf(c.env, userId).erase();
  return c.body(null, 204);
});
