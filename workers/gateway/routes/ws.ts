import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { SOCKET_EXPIRES_HEADER, SOCKET_USER_HEADER } from "../../../durable-objects/conversation/sockets.js";
import { ApiError } from "../../../src/protocol/errors.js";
import { WS_BEARER_PREFIX, WS_CLOSE, WS_SUBPROTOCOL } from "../../../src/protocol/ws.js";
import type { Principal } from "../../../src/security/jwt.js";
import type { Scope } from "../../../src/security/scopes.js";
import { conversationOf } from "../actors.js";
import type { GatewayEnv } from "../context.js";
import { authenticateToken, bearerToken } from "../middleware/auth.js";
import { isAllowedOrigin } from "../middleware/cors.js";
import { authErrors } from "../openapi.js";

const connect = createRoute({
  method: "get",
  path: "/v1/ws",
  summary: "The real-time channel (WebSocket, subprotocol parley.v1)",
  description:
    "Offer the subprotocols `parley.v1` and `bearer.<JWT>` (or send `Authorization: Bearer`). " +
    "A refused token completes the handshake and closes at once with 4401 (4403 without the chat scope): " +
    "4400–4499 mean do not reconnect with these credentials. Frames: see docs/api.md → WebSocket.",
  responses: {
    101: { description: "switching to the WebSocket protocol" },
    400: { description: "not a WebSocket upgrade, or parley.v1 not offered" },
    403: { description: "the page's origin is not in ALLOWED_ORIGINS" },
    503: authErrors[503],
  },
});

/** `GET /v1/ws`: authenticates the upgrade and hands it to the user's conversation actor. */
export const wsRoutes = new OpenAPIHono<GatewayEnv>().openapi(connect, async (c) => {
  const principal = await upgradeFor(c, "/v1/ws", "chat");
  if (principal instanceof Response) return principal;
  const headers = new Headers(c.req.raw.headers);
  headers.set(SOCKET_USER_HEADER, principal.userId);
  headers.set(SOCKET_EXPIRES_HEADER, String(principal.expiresAt));
  const upgraded = await conversationOf(c.env, principal.userId).fetch(new Request(c.req.raw.url, { headers }));
  // A fresh Response: the actor's has immutable headers, and middleware adds its own.
  return new Response(null, { status: upgraded.status, webSocket: upgraded.webSocket, headers: new Headers(upgraded.headers) });
});

/**
 * A WebSocket upgrade's checks, the same for every channel: an upgrade, the parley.v1
 * subprotocol if any is offered, the origin, then the token (in the subprotocol, or a bearer
 * header) and `scope`. A refused token is a completed handshake closed at once (a browser cannot
 * read a 401: it learns why from the close code): that Response is returned instead.
 */
export async function upgradeFor(c: Context<GatewayEnv>, path: string, scope: Scope): Promise<Principal | Response> {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new ApiError("invalid_request", `GET ${path} expects a WebSocket upgrade`);
  const offered = subprotocolsOf(c.req.header("sec-websocket-protocol"));
  if (offered.length > 0 && !offered.includes(WS_SUBPROTOCOL)) throw new ApiError("invalid_request", `offer the ${WS_SUBPROTOCOL} subprotocol`);
  checkOrigin(c);
  const token = offered.find((protocol) => protocol.startsWith(WS_BEARER_PREFIX))?.slice(WS_BEARER_PREFIX.length);
  let principal: Principal;
  try {
    principal = await authenticateToken(c.env, token ?? bearerToken(c.req.header("authorization")));
  } catch (error) {
    if (error instanceof ApiError && error.code === "unauthorized") return refuse(c.req.raw, WS_CLOSE.unauthorized, error.message);
    throw error;
  }
  if (!principal.scopes.has(scope)) return refuse(c.req.raw, WS_CLOSE.forbidden, `the "${scope}" scope is required`);
  return principal;
}

function subprotocolsOf(header: string | undefined): string[] {
  return (header ?? "")
    .split(",")
    .map((protocol) => protocol.trim())
    .filter(Boolean);
}

/**
 * Browsers always send `Origin` with a WebSocket handshake and CORS does not apply to it:
 * only the Worker's own pages and ALLOWED_ORIGINS may open the channel from a browser.
 */
function checkOrigin(c: Context<GatewayEnv>): void {
  const origin = c.req.header("origin");
  if (!origin || origin === new URL(c.req.url).origin) return;
  if (isAllowedOrigin(c.env.ALLOWED_ORIGINS, origin)) return;
  throw new ApiError("forbidden", `origin ${origin} is not allowed to open the chat channel (ALLOWED_ORIGINS)`);
}

/** Completes the handshake and closes at once with a code the client can act on. */
export function refuse(request: Request, code: number, reason: string): Response {
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  server.accept();
  server.close(code, reason.slice(0, 120));
  const offered = subprotocolsOf(request.headers.get("sec-websocket-protocol") ?? undefined);
  const headers: HeadersInit = offered.includes(WS_SUBPROTOCOL) ? { "sec-websocket-protocol": WS_SUBPROTOCOL } : {};
  return new Response(null, { status: 101, webSocket: client, headers });
}
