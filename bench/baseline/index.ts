/**
 * Benchmark baseline: the least a chat turn can cost on this runtime.
 *
 * `POST /v1/messages` with `Authorization: Bearer <JWT>` → the same JWT check as Parley
 * (`verifyToken`, HS256, development secret) → RPC `turn(text)` on the user's Durable Object →
 * one SQLite INSERT → `{ seq, reply: { text }, duplicate: false, botVersion }`.
 * No dialog, no dedupe, no events: the gap between this and Parley is what Parley's features cost.
 */
import { DurableObject } from "cloudflare:workers";
import { bareFetch } from "../bare-handler.js";
import type { TurnResult } from "../../src/protocol/messages.js";

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
    const row = this.ctx.storage.sql
      .exec<{ seq: number }>("INSERT INTO messages (at, text) VALUES (?, ?) RETURNING seq", Date.now(), text)
      .one();
    return { seq: row.seq, reply: { text: `you said: ${text}` }, duplicate: false, botVersion: "baseline" };
  }
}

export default {
  fetch: (request, env) => bareFetch("baseline", ({ userId, text }) => env.USER.getByName(userId).turn(text))(request, env.ENVIRONMENT),
} satisfies ExportedHandler<Env>;
