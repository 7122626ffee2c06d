import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import shop from "../../../bots/shop.json";
import type { EnqueueAnswer, HandoffSummary } from "../../../src/handoff/types.js";
import type { AgentServerFrame } from "../../../src/protocol/agent-frames.js";
import { DEV_JWT_SECRET } from "../../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../../src/security/jwt.js";
import type { Scope } from "../../../src/security/scopes.js";
import { BASE, say, tokenFor } from "../helpers.js";
import { adminToken, publish, setRollout } from "../registry/fixtures.js";

/** A token of an agent, with a display name as an identity provider would put it. */
export async function agentToken(agentId: string, name?: string, scopes: Scope[] = ["agent"]): Promise<string> {
  const signed = await signToken({ userId: agentId, scopes, ttlSeconds: 3600, secret: secretBytes(DEV_JWT_SECRET), ...(name ? { name } : {}) });
  return signed.token;
}

/** The shop bot with two handoff queues and a canned reply, made the stable version. */
export async function useHandoffShop(version = "handoff-1"): Promise<void> {
  const handoff = {
    queues: ["general", "orders"],
    maxWaitSeconds: 300,
    cannedReplies: [{ id: "thanks", text: { en: "Thanks for waiting!", zh: "感谢您的耐心等待！" } }],
  };
  const admin = await adminToken();
  const published = await publish(admin, "shop", version, { ...shop, version, handoff });
  expect([200, 201]).toContain(published.status);
  expect((await setRollout(admin, "shop", { stable: version })).status).toBe(200);
}

/** A real conversation (one turn): its actor's opaque id, as a queue holds it. */
export async function realConversation(user: string): Promise<string> {
  const response = await say(await tokenFor(user), "hello");
  expect(response.status).toBe(200);
  return env.CONVERSATION.idFromName(user).toString();
}

export function summaryOf(text: string, language: "en" | "zh" = "en"): HandoffSummary {
  return {
    intent: "handoff",
    reason: "requested",
    language,
    slots: { phone: "***5678" },
    lastMessages: [{ seq: 1, at: Date.now(), role: "user", text }],
  };
}

export const queueOf = (queue = "general") => env.HANDOFF.getByName(`shop:${queue}`);

/** The conversation actor puts itself in line, as the lead's side does. */
export function enqueue(conversationId: string, options: { queue?: string; text?: string; maxWaitSeconds?: number; at?: number } = {}): Promise<EnqueueAnswer> {
  const queue = options.queue ?? "general";
  return queueOf(queue).enqueue({
    conversationId,
    user: `pseudo-${conversationId.slice(0, 8)}`,
    bot: "shop",
    queue,
    summary: summaryOf(options.text ?? "I need a human"),
    maxWaitSeconds: options.maxWaitSeconds ?? 300,
    at: options.at ?? Date.now(),
  });
}

/** The entry id agents see for a conversation waiting in the line (by its summary text). */
export async function entryIdOf(token: string, text: string, queue = "general"): Promise<string> {
  const response = await call(`/v1/agent/queues/shop/${queue}`, { token });
  expect(response.status).toBe(200);
  const view = (await response.json()) as { line: { entryId: string; summary: HandoffSummary }[] };
  const entry = view.line.find((waiting) => waiting.summary.lastMessages.some((message) => message.text === text));
  if (!entry) throw new Error(`"${text}" is not in the line of ${queue}: ${JSON.stringify(view.line)}`);
  return entry.entryId;
}

export function call(path: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers.set("content-type", "application/json");
  }
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers, body: body ?? null }));
}

export function entryPath(entryId: string, action: string, queue = "general"): string {
  return `/v1/agent/queues/shop/${queue}/entries/${entryId}/${action}`;
}

/** A test's end of an agent's socket. */
export class AgentSocket {
  readonly frames: AgentServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason })));
    ws.addEventListener("message", (event) => this.frames.push(JSON.parse(String(event.data)) as AgentServerFrame));
    ws.accept();
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  of<T extends AgentServerFrame["type"]>(type: T): Extract<AgentServerFrame, { type: T }>[] {
    return this.frames.filter((frame): frame is Extract<AgentServerFrame, { type: T }> => frame.type === type);
  }

  async until<T extends AgentServerFrame["type"]>(
    type: T,
    done: (frame: Extract<AgentServerFrame, { type: T }>) => boolean = () => true,
  ): Promise<Extract<AgentServerFrame, { type: T }>> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const found = this.of(type).find(done);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for a ${type} frame; got ${JSON.stringify(this.frames)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Resolves after `ms` with no new frame on this socket. */
  async quiet(ms = 150): Promise<void> {
    let seen = -1;
    while (seen !== this.frames.length) {
      seen = this.frames.length;
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
  }

  close(): void {
    this.ws.close(1000, "test done");
  }
}

export async function agentSocketResponse(token: string, queue = "general"): Promise<Response> {
  const headers = { upgrade: "websocket", "sec-websocket-protocol": `parley.v1, bearer.${token}` };
  return exports.default.fetch(new Request(`${BASE}/v1/agent/ws?bot=shop&queue=${queue}`, { headers }));
}

export async function openAgentSocket(token: string, queue = "general"): Promise<AgentSocket> {
  const response = await agentSocketResponse(token, queue);
  expect(response.status).toBe(101);
  if (!response.webSocket) throw new Error("no webSocket on the 101 answer");
  return new AgentSocket(response.webSocket);
}
