/**
 * The three systems under test. All three serve the same chat turn on the same route —
 * `POST /v1/messages` `{ text, clientMessageId }` with `Authorization: Bearer <JWT>` — so the
 * load generator drives them identically; only the WebSocket dialects differ.
 */
import type { SystemName } from "./args.js";
import type { SocketProtocol } from "./load.js";

export interface SystemSpec {
  name: SystemName;
  /** wrangler.toml, relative to the repository root */
  config: string;
  /** how to open a chat socket for a user, when the system has one */
  socket?: (origin: string, userId: string, token: string) => SocketProtocol;
}

/** A server frame `{ type: "message", role: "bot" }` answers the turn; `{ type: "error" }` fails it. */
export function classifyChatFrame(frame: unknown): "reply" | "ignore" | { error: string } {
  if (typeof frame !== "object" || frame === null) return "ignore";
  const { type, role, code } = frame as { type?: unknown; role?: unknown; code?: unknown };
  if (type === "message" && role === "bot") return "reply";
  if (type === "error") return { error: `ws error ${typeof code === "string" ? code : "?"}` };
  return "ignore";
}

function wsOrigin(origin: string): string {
  return origin.replace(/^http/, "ws");
}

function sayFrame(text: string, clientMessageId: string): string {
  return JSON.stringify({ type: "say", text, clientMessageId });
}

export const SYSTEM_SPECS: Record<SystemName, SystemSpec> = {
  parley: {
    name: "parley",
    config: "wrangler.toml",
    // API.md: subprotocol parley.v1, the token as bearer.<JWT>, then hello.
    socket: (origin, _userId, token) => ({
      url: `${wsOrigin(origin)}/v1/ws`,
      protocols: ["parley.v1", `bearer.${token}`],
      hello: JSON.stringify({ type: "hello", since: 0 }),
      say: sayFrame,
      classify: classifyChatFrame,
    }),
  },
  baseline: {
    name: "baseline",
    config: "bench/baseline/wrangler.toml",
  },
  peer: {
    name: "peer",
    config: "bench/peers/agents/wrangler.toml",
    // The Agents SDK's own route, /agents/<class>/<name>, with the token in the query as its docs advise.
    socket: (origin, userId, token) => ({
      url: `${wsOrigin(origin)}/agents/chat-agent/${encodeURIComponent(userId)}?token=${encodeURIComponent(token)}`,
      protocols: [],
      say: sayFrame,
      classify: classifyChatFrame,
    }),
  },
};
