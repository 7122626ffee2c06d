/**
 * Benchmark baseline: the least a chat turn can cost on this runtime.
 *
 * `POST /v1/messages` with `Authorization: Bearer <JWT>` → the same JWT check as Parley
 * (`verifyToken`, HS256, development secret) → RPC `turn(text)` on the user's Durable Object →
 * one SQLite INSERT → `{ seq, reply: { text }, duplicate: false, botVersion }`.
 * No dialog, no dedupe, no events: the gap between this and Parley is what Parley's features cost.
 */
import { DurableObject } from "cloudflare:workers";
import type { TurnResult } from "../../src/protocol/messages.js";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { TokenError, secretBytes, verifyToken } from "../../src/security/jwt.js";

interface Env {
  USER: DurableObjectNamespace<UserActor>;
  ENVIRONMENT?: string;
}

const SECRET = secretBytes(DEV_JWT_SECRET);

export class UserActor extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, text TEXT NOT NULL)");
  }

  turn(text: string): TurnResult {
    const row = this.ctx.storage.sql.exec<{ seq: number }>("INSERT INTO messages (at, text) VALUES (?, ?) RETURNING seq", Date.now(), text).one();
    return { seq: row.seq, reply: { text: `you said: ${text}` }, duplicate: false, botVersion: "baseline" };
  }
}

function error(status: number, code: string): Response {
  return Response.json({ error: { code, message: code, requestId: "" } }, { status });
}

/** The user and text a request asks a turn for, or the error answer that refuses it. */
async function readTurn(request: Request): Promise<{ userId: string; text: string } | Response> {
  const header = request.headers.get("authorization") ?? "";
  if (!header.startsWith("Bearer ")) return error(401, "unauthorized");
  let userId: string;
  try {
    const principal = await verifyToken(header.slice("Bearer ".length), { key: { kind: "secret", secret: SECRET } }, Date.now());
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
  const text = typeof body === "object" && body !== null && "text" in body ? body.text : undefined;
  if (typeof text !== "string" || text.length < 1 || text.length > 2000) return error(400, "invalid_request");
  return { userId, text };
}

export default {
  async fetch(request, env) {
    if (env.ENVIRONMENT !== "development") return error(503, "unavailable");
    const { pathname } = new URL(request.url);
    if (pathname === "/healthz") return Response.json({ ok: true, version: "baseline" });
    if (pathname !== "/v1/messages" || request.method !== "POST") return error(404, "not_found");
    const turn = await readTurn(request);
    return turn instanceof Response ? turn : Response.json(await env.USER.getByName(turn.userId).turn(turn.text));
  },
} satisfies ExportedHandler<Env>;
