import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { apiErrorOf, isRefusal } from "../../../src/protocol/errors.js";
import { postMessageBodySchema, turnResultSchema } from "../../../src/protocol/messages.js";
import { conversationOf } from "../actors.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { authenticate, requireScope } from "../middleware/auth.js";
import { jsonBody } from "../middleware/json-body.js";
import { traceOf } from "../middleware/telemetry.js";
import { authErrors, bearerSecurity, bodyErrors } from "../openapi.js";

const postMessage = createRoute({
  method: "post",
  path: "/v1/messages",
  summary: "Send a text turn and get the bot's reply",
  security: bearerSecurity,
  middleware: [jsonBody(), authenticate, requireScope("chat")],
  request: { body: { required: true, content: { "application/json": { schema: postMessageBodySchema } } } },
  responses: {
    200: {
      description: "the reply; `duplicate: true` when the clientMessageId was seen before",
      content: { "application/json": { schema: turnResultSchema } },
    },
    ...bodyErrors,
    ...authErrors,
  },
});

export const messageRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook }).openapi(postMessage, async (c) => {
  const { userId } = c.get("principal");
  const body = c.req.valid("json");
  const result = await conversationOf(c.env, userId).turn({ ...body, trace: await traceOf(c) });
  if (isRefusal(result)) throw apiErrorOf(result);
  return c.json(result, 200);
});
