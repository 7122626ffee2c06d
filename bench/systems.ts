/**
 * The three systems under test, each in production shape (no asset emulation in front of the
 * Worker). All three serve the same chat turn on the same route —
 * `POST /v1/messages` `{ text, clientMessageId }` with `Authorization: Bearer <JWT>` — so the
 * load generator drives them identically; only the WebSocket dialects differ.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SystemName } from "./args.js";
import type { SocketProtocol } from "./load.js";

export interface SystemSpec {
  name: SystemName;
  /** wrangler.toml, relative to the repository root */
  config: string;
  /** writes `config` inside the served copy of the source, when it is derived from another */
  derive?: (sourceDir: string) => void;
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

/**
 * Parley's wrangler.toml without its `[assets]` table (written beside the original, so every
 * path in it still holds). In production the platform serves static assets before the Worker
 * runs, and `/v1/*` reaches the Worker directly; under `wrangler dev` an `[assets]` table puts
 * Miniflare's asset router in front of every request, API included — a cost production does
 * not have. The benchmark calls only `/v1/*` and `/healthz`, both Worker routes.
 */
export function withoutAssets(toml: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of toml.split("\n")) {
    const table = /^\s*\[\[?([^\]]+)\]\]?\s*$/.exec(line);
    if (table) skipping = table[1]?.trim() === "assets";
    if (!skipping) out.push(line);
  }
  return out.join("\n");
}

/** Parley's production-shape config, derived from its own at run time so it never drifts. */
const PARLEY_CONFIG = "wrangler.bench.toml";

export const SYSTEM_SPECS: Record<SystemName, SystemSpec> = {
  parley: {
    name: "parley",
    config: PARLEY_CONFIG,
    derive: (sourceDir) => writeFileSync(join(sourceDir, PARLEY_CONFIG), withoutAssets(readFileSync(join(sourceDir, "wrangler.toml"), "utf8"))),
    // docs/api.md: subprotocol parley.v1, the token as bearer.<JWT>, then hello.
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
