import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { userParamsSchema } from "../../../src/protocol/admin.js";
import { conversationViewSchema } from "../../../src/protocol/conversation.js";
import { conversationOf } from "../actors.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { authErrors, bearerSecurity } from "../openapi.js";
import { adminOnly } from "./admin-common.js";

const getConversation = createRoute({
  method: "get",
  path: "/v1/admin/conversations/{userId}",
  summary: "Any user's conversation, as GET /v1/conversation shows it to them (sensitive slots redacted)",
  security: bearerSecurity,
  middleware: adminOnly,
  request: { params: userParamsSchema },
  responses: {
    200: { description: "the conversation", content: { "application/json": { schema: conversationViewSchema } } },
    400: { description: "not a user id" },
    ...authErrors,
  },
});

export const adminConversationRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook }).openapi(getConversation, async (c) => {
  const { userId } = c.req.valid("param");
  return c.json(await conversationOf(c.env, userId).view(), 200);
});
