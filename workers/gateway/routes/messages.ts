import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { apiErrorOf, isRefusal } from "../../../src/protocol/errors.js";
import { postMessageBodySchema, turnResultSchema } from "../../../src/protocol/messages.js";
import { EVENT_STREAM, wantsEventStream } from "../../../src/protocol/sse.js";
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
      description:
        "the reply; `duplicate: true` when the clientMessageId was seen before. With `Accept: text/event-stream`, Server-Sent Events instead: " +
        "`delta` ({offset, text}) while a reply is generated, then `done` with this same result (or `error`)",
      content: {
        "application/json": { schema: turnResultSchema },
        [EVENT_STREAM]: { schema: { type: "string", description: "event: delta | done | error, data: one line of JSON" } },
      },
    },
    ...bodyErrors,
    ...authErrors,
  },
});

export const messageRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook }).openapi(postMessage, async (c) => {
  const { userId } = c.get("principal");
  const body = c.req.valid("json");
  const request = { ...body, trace: await traceOf(c) };
  if (wantsEventStream(c.req.header("accept"))) {
    const stream = await conversationOf(c.env, userId).turnStream(request);
    if (isRefusal(stream)) throw apiErrorOf(stream);
    return new Response(stream, { status: 200, headers: { "content-type": `${EVENT_STREAM}; charset=utf-8`, "cache-control": "no-store" } });
  }
  const result = await conversationOf(c.env, userId).turn(request);
  if (isRefusal(result)) throw apiErrorOf(result);
  return c.json(result, 200);
});
