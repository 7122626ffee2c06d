/**
 * The three systems under test. All three serve the same chat turn on the same route —
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
  /** derives `config` inside the served copy of the source (for probes that vary Parley's own) */
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
 * Parley's wrangler.toml without its `[assets]` table: under `wrangler dev` an assets config
 * routes every request through Miniflare's asset router before the Worker.
 */
export function withoutAssets(toml: string): string {
  const lines = toml.split("\n");
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    const table = /^\s*\[\[?([^\]]+)\]\]?\s*$/.exec(line);
    if (table) skipping = table[1]?.trim() === "assets";
    if (!skipping) out.push(line.replace(/^main = "(.*)"$/, 'main = "../../../$1"'));
  }
  return out.join("\n");
}

/** Parley's wrangler.toml, everything kept, served from a probe directory with its own entry point. */
export function withProbeEntry(toml: string): string {
  return toml.replace(/^main = ".*"$/m, 'main = "index.ts"').replace(/^directory = "(.*)"$/m, 'directory = "../../../$1"');
}

/** A probe served with a wrangler.toml derived from Parley's own, at run time, in the served copy. */
function probeOfParleyConfig(name: SystemName, derived: (toml: string) => string): SystemSpec {
  const config = `bench/probes/${name}/wrangler.toml`;
  return {
    name,
    config,
    derive: (sourceDir) => writeFileSync(join(sourceDir, config), derived(readFileSync(join(sourceDir, "wrangler.toml"), "utf8"))),
  };
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
  "parley-no-assets": probeOfParleyConfig("parley-no-assets", withoutAssets),
  "parley-bare": probeOfParleyConfig("parley-bare", withProbeEntry),
  "baseline-log": {
    name: "baseline-log",
    config: "bench/probes/baseline-log/wrangler.toml",
  },
  "parley-actor": {
    name: "parley-actor",
    config: "bench/probes/parley-actor/wrangler.toml",
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
