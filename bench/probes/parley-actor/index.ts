/**
 * Diagnostic probe: Parley's ConversationActor and BotRegistry, called from the baseline's bare
 * fetch handler (same `verifyToken`, same body check, one RPC) instead of Parley's gateway.
 */
import { DEV_JWT_SECRET } from "../../../src/security/dev-secrets.js";
import { TokenError, secretBytes, verifyToken } from "../../../src/security/jwt.js";
import type { Env } from "../../../workers/env.js";

export { ConversationActor } from "../../../durable-objects/conversation.js";
export { BotRegistry } from "../../../durable-objects/registry.js";

const SECRET = secretBytes(DEV_JWT_SECRET);

function error(status: number, code: string): Response {
  return Response.json({ error: { code, message: code, requestId: "" } }, { status });
}

async function handleMessage(request: Request, env: Env): Promise<Response> {
  const header = request.headers.get("authorization") ?? "";
  if (!header.startsWith("Bearer ")) return error(401, "unauthorized");
  let userId: string;
  try {
    const principal = await verifyToken(header.slice("Bearer ".length), { key: { kind: "secret", secret: SECRET } });
    if (!principal.scopes.has("chat")) return error(403, "forbidden");
    userId = principal.userId;
  } catch (cause) {
    if (cause instanceof TokenError) return error(401, "unauthorized");
    throw cause;
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return error(400, "invalid_request");
  }
  const { text, clientMessageId } = (typeof body === "object" && body !== null ? body : {}) as { text?: unknown; clientMessageId?: unknown };
  if (typeof text !== "string" || text.length < 1 || text.length > 2000) return error(400, "invalid_request");
  const turn = { userId, text, ...(typeof clientMessageId === "string" ? { clientMessageId } : {}) };
  try {
    return Response.json(await env.CONVERSATION.getByName(userId).turn(turn));
  } catch (cause) {
    return error(500, cause instanceof Error ? cause.name : "error");
  }
}

export default {
  async fetch(request, env) {
    if (env.ENVIRONMENT !== "development") return error(503, "unavailable");
    const { pathname } = new URL(request.url);
    if (pathname === "/healthz") return Response.json({ ok: true, version: "probe-parley-actor" });
    if (pathname === "/v1/messages" && request.method === "POST") return handleMessage(request, env);
    return error(404, "not_found");
  },
} satisfies ExportedHandler<Env>;
