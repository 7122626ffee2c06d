/**
 * Benchmark peer: Parley's chat turn written the way the Agents SDK's docs recommend.
 *
 * - HTTP: the Worker checks the JWT (the same `verifyToken` as Parley and the baseline), then
 *   `getAgentByName(env.ChatAgent, sub)` and calls the Agent's `turn` method over RPC.
 * - WebSocket: `routeAgentRequest` on the SDK's `/agents/chat-agent/<user>` route, the token in the
 *   query string (the SDK's advice for sockets), checked in `onBeforeConnect`; each `say` frame
 *   goes to the Agent's `onMessage`, which answers on the connection.
 * The Agent stores each message with `this.sql` and answers; no dialog, like the baseline.
 */

import type { Connection, WSMessage } from "agents";
import { Agent, getAgentByName, routeAgentRequest } from "agents";
import type { TurnResult } from "../../../src/protocol/messages.js";
import { authenticate, errorAnswer as error, readTurn } from "../../floor-turn.js";

interface Env {
  ChatAgent: DurableObjectNamespace<ChatAgent>;
  ENVIRONMENT?: string;
}

// The Agent reads no binding, so it keeps the SDK's default Env type parameter (Cloudflare.Env);
// the Worker below has its own Env.
export class ChatAgent extends Agent {
  override onStart(): void {
    this.sql`CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, text TEXT NOT NULL)`;
  }

  turn(text: string): TurnResult {
    const [row] = this.sql<{ seq: number }>`INSERT INTO messages (at, text) VALUES (${Date.now()}, ${text}) RETURNING seq`;
    return { seq: row?.seq ?? 0, reply: { text: `you said: ${text}` }, duplicate: false, botVersion: "agents" };
  }

  override onMessage(connection: Connection, message: WSMessage): void {
    if (typeof message !== "string") return;
    let frame: { type?: unknown; text?: unknown };
    try {
      frame = JSON.parse(message) as { type?: unknown; text?: unknown };
    } catch {
      connection.send(JSON.stringify({ type: "error", code: "invalid_request", message: "not JSON" }));
      return;
    }
    if (frame.type !== "say" || typeof frame.text !== "string" || frame.text.length < 1 || frame.text.length > 2000) {
      connection.send(JSON.stringify({ type: "error", code: "invalid_request", message: "expected a say frame" }));
      return;
    }
    const answer = this.turn(frame.text);
    connection.send(JSON.stringify({ type: "message", seq: answer.seq, role: "bot", text: answer.reply.text, at: Date.now() }));
  }
}

async function handleMessage(request: Request, env: Env): Promise<Response> {
  const turn = await readTurn(request);
  if (turn instanceof Response) return turn;
  const agent = await getAgentByName(env.ChatAgent, turn.userId);
  return Response.json(await agent.turn(turn.text));
}

export default {
  async fetch(request, env) {
    if (env.ENVIRONMENT !== "development") return error(503, "unavailable");
    const { pathname } = new URL(request.url);
    if (pathname === "/healthz") return Response.json({ ok: true, version: "agents" });
    if (pathname === "/v1/messages" && request.method === "POST") return handleMessage(request, env);
    const routed = await routeAgentRequest(request, env, {
      // An Agent is reachable only by its own user: the token's sub must name the instance.
      onBeforeConnect: async (connect, route) => {
        const principal = await authenticate(new URL(connect.url).searchParams.get("token"));
        if (principal instanceof Response) return principal;
        if (principal.userId !== route.name) return error(403, "forbidden");
        return undefined;
      },
      onBeforeRequest: () => error(404, "not_found"),
    });
    return routed ?? error(404, "not_found");
  },
} satisfies ExportedHandler<Env>;
