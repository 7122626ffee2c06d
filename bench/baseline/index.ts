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
import { errorAnswer as error, readTurn } from "../floor-turn.js";

interface Env {
  USER: DurableObjectNamespace<UserActor>;
  ENVIRONMENT?: string;
}

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
