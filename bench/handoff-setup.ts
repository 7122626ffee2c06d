/** The handoff benchmark's fixtures: the shop whose handoff flow uses one queue, tokens, and a timed call. */
import { readFileSync } from "node:fs";
import type { Dispatcher } from "undici";
import { WebSocket } from "undici";
import { DEV_JWT_SECRET } from "../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../src/security/jwt.js";
import { describeError } from "./load.js";

const SECRET = secretBytes(DEV_JWT_SECRET);

/** The example shop as `version`: "human please" puts the user in `queue` (as test/worker/handoff/conversation.test.ts does). */
export function shopHandingOffTo(queue: string, version: string): unknown {
  const shop = JSON.parse(readFileSync(new URL("../bots/shop.json", import.meta.url), "utf8")) as object;
  // A long max wait: the run measures claims, not the bot's "still waiting?" offers.
  const text = JSON.stringify({ ...shop, version, handoff: { queues: [queue], maxWaitSeconds: 3600 } }).replaceAll(
    '"type":"handoff","reason"',
    `"type":"handoff","queue":"${queue}","reason"`,
  );
  if (!text.includes(`"queue":"${queue}"`)) throw new Error("bots/shop.json has no handoff step to point at the queue");
  return JSON.parse(text);
}

export async function agentTokenOf(agentId: string): Promise<string> {
  return (await signToken({ userId: agentId, scopes: ["agent"], ttlSeconds: 4 * 3600, secret: SECRET, name: `Agent ${agentId}` })).token;
}

/** An agent socket on the queue: with one online, the bot queues a user instead of taking a ticket. */
export function openAgentSocket(origin: string, token: string, bot: string, queue: string): Promise<WebSocket> {
  const url = `${origin.replace(/^http/, "ws")}/v1/agent/ws?bot=${bot}&queue=${queue}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, ["parley.v1", `bearer.${token}`]);
    const timer = setTimeout(() => reject(new Error("agent socket: no line frame within 30 s")), 30_000);
    socket.addEventListener("message", (event) => {
      if (String(event.data).includes('"type":"line"')) {
        clearTimeout(timer);
        resolve(socket);
      }
    });
    socket.addEventListener("close", (event) => reject(new Error(`agent socket closed ${event.code} ${event.reason}`)));
  });
}

export interface Timed<T> {
  status: number;
  ms: number;
  body: T;
}

/**
 * One request on the pool, timed from send to the whole body read. A request that got no answer
 * (the local runtime restarting, a refused connection) is status 0 with the error's kind as body.
 */
export async function timed<T>(pool: Dispatcher, method: "GET" | "POST", path: string, token: string, json?: unknown): Promise<Timed<T>> {
  const t0 = performance.now();
  let status: number;
  let text: string;
  try {
    const response = await pool.request({
      method,
      path,
      headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { "content-type": "application/json" }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    return { status: 0, ms: performance.now() - t0, body: describeError(error) as T };
  }
  const ms = performance.now() - t0;
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status, ms, body: body as T };
}
