import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { AGENT_ID_HEADER, AGENT_NAME_HEADER, SOCKET_EXPIRES_HEADER } from "../../../durable-objects/handoff/agent-sockets.js";
import { botIdSchema } from "../../../src/protocol/admin.js";
import { queueNameSchema } from "../../../src/protocol/agent.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { authErrors, queryErrors } from "../openapi.js";
import { agentOf, errorDoc, queueOf } from "./agent-common.js";
import { upgradeFor } from "./ws.js";

const connect = createRoute({
  method: "get",
  path: "/v1/agent/ws",
  summary: "An agent's real-time channel to one queue (WebSocket, subprotocol parley.v1)",
  description:
    "Offer the subprotocols `parley.v1` and `bearer.<JWT>` (or send `Authorization: Bearer`); the token needs the agent scope. " +
    "A refused token completes the handshake and closes at once with 4401 (4403 without the agent scope). " +
    "The server sends `line` and `held` first, then changes. Frames: see docs/api.md → Agents.",
  request: { query: z.strictObject({ bot: botIdSchema, queue: queueNameSchema }) },
  responses: {
    101: { description: "switching to the WebSocket protocol" },
    ...queryErrors,
    403: { description: "the page's origin is not in ALLOWED_ORIGINS" },
    404: errorDoc("no such bot, or its stable version has no such handoff queue"),
    503: authErrors[503],
  },
});

/** `GET /v1/agent/ws`: authenticates the upgrade and hands it to the queue. */
export const agentWsRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook }).openapi(connect, async (c) => {
  const principal = await upgradeFor(c, "/v1/agent/ws", "agent");
  if (principal instanceof Response) return principal;
  const { bot, queue } = c.req.valid("query");
  const stub = await queueOf(c.env, bot, queue);
  const agent = agentOf(principal);
  const headers = new Headers(c.req.raw.headers);
  headers.set(AGENT_ID_HEADER, agent.agentId);
  headers.set(AGENT_NAME_HEADER, encodeURIComponent(agent.agentName));
  headers.set(SOCKET_EXPIRES_HEADER, String(principal.expiresAt));
  const upgraded = await stub.fetch(new Request(c.req.raw.url, { headers }));
  return new Response(null, { status: upgraded.status, webSocket: upgraded.webSocket, headers: new Headers(upgraded.headers) });
});
