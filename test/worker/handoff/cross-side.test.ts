import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import shop from "../../../bots/shop.json";
import { say, tokenFor } from "../helpers.js";
import { adminToken, publish, setRollout } from "../registry/fixtures.js";
import { liveSocket } from "../ws-client.js";
import type { AgentSocket } from "./fixtures.js";
import { AgentSocket as Socket, agentSocketResponse, agentToken, call, entryPath, queueOf } from "./fixtures.js";

/**
 * The queue and the conversation together: what the queue did is what the user sees, once.
 * Each test has a queue of its own, used by the shop's handoff flow as the stable version.
 */

interface Message {
  seq: number;
  role: string;
  text: string;
  author?: { id: string; name: string };
  quickReplies?: string[];
}

async function shopWith(version: string, queue: string, handoff: Record<string, unknown> = {}): Promise<void> {
  const admin = await adminToken("handoff-cross-admin");
  const text = JSON.stringify({ ...shop, version, handoff: { queues: [queue, "orders"], ...handoff } }).replaceAll(
    '"type":"handoff","reason"',
    `"type":"handoff","queue":"${queue}","reason"`,
  );
  expect((await publish(admin, "shop", version, JSON.parse(text))).status).toBe(201);
  expect((await setRollout(admin, "shop", { stable: version })).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 250)); // isolates take a rollout within its TTL (100 ms here)
}

async function historyOf(token: string): Promise<Message[]> {
  const response = await call("/v1/conversation/messages?limit=200", { token });
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: Message[] }).messages;
}

/** An agent's socket once the gateway's catalog has the new rollout (it may serve the old one once more). */
async function deskOf(agent: string, queue: string): Promise<AgentSocket> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const response = await agentSocketResponse(agent, queue);
    if (response.status === 101 && response.webSocket) return new Socket(response.webSocket);
    if (Date.now() > deadline) throw new Error(`GET /v1/agent/ws for ${queue} answered ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The entry ids waiting in a test's own queue, in line order. */
async function lineOf(agent: string, queue: string): Promise<string[]> {
  const response = await call(`/v1/agent/queues/shop/${queue}`, { token: agent });
  expect(response.status).toBe(200);
  return ((await response.json()) as { line: { entryId: string }[] }).line.map((entry) => entry.entryId);
}

/** A shopper who asked for a human (with an agent online in `queue`): the entry agents see. */
async function shopperInLine(user: string, queue: string, agent: string): Promise<{ shopper: string; entryId: string }> {
  const desk = await deskOf(agent, queue);
  await desk.until("line");
  const shopper = await tokenFor(user);
  expect((await say(shopper, "human please", `${user}-ask`)).status).toBe(200);
  const [entryId] = await lineOf(agent, queue);
  desk.close();
  if (!entryId) throw new Error(`nobody waits in ${queue}`);
  return { shopper, entryId };
}

describe("the queue and the conversation", () => {
  it("20 concurrent claims: one winner, and the user sees one agent join", async () => {
    await shopWith("cross-race", "race");
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => agentToken(`cross-agent-${i}`, `Agent ${i}`)));
    const { shopper, entryId } = await shopperInLine("cross-race-user", "race", tokens[0] ?? "");
    const answers = await Promise.all(tokens.map((token) => call(entryPath(entryId, "claim", "race"), { method: "POST", token })));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    const winner = statuses.indexOf(200);
    const joined = (await historyOf(shopper)).filter((message) => message.role === "system");
    expect(joined).toEqual([expect.objectContaining({ author: { id: `cross-agent-${winner}`, name: `Agent ${winner}` } })]);
  });

  it("a reply sent twice (REST, then the socket) is one message; the holder reads the history", async () => {
    await shopWith("cross-reply", "reply");
    const anna = await agentToken("anna", "Anna");
    const { shopper, entryId } = await shopperInLine("cross-reply-user", "reply", anna);
    expect((await call(entryPath(entryId, "claim", "reply"), { method: "POST", token: anna })).status).toBe(200);
    const body = { messageId: "anna-1", text: "Hello, Anna here." };
    const first = await call(entryPath(entryId, "reply", "reply"), { method: "POST", token: anna, json: body });
    expect(first.status).toBe(200);
    const sent = (await first.json()) as { seq: number; duplicate: boolean };
    expect(sent.duplicate).toBe(false);
    const user = await liveSocket(shopper, sent.seq);
    const desk = await deskOf(anna, "reply");
    desk.send({ type: "typing", entryId });
    await user.until((frames) => frames.some((frame) => frame.type === "typing" && frame.author?.name === "Anna"), "the agent typing");
    desk.send({ type: "reply", entryId, ...body });
    expect(await desk.until("sent")).toMatchObject({ entryId, messageId: "anna-1", seq: sent.seq, duplicate: true });
    desk.close();
    user.close();
    expect((await historyOf(shopper)).filter((message) => message.role === "agent")).toEqual([
      expect.objectContaining({ seq: sent.seq, text: "Hello, Anna here.", author: { id: "anna", name: "Anna" } }),
    ]);
    const history = await call(entryPath(entryId, "history", "reply"), { token: anna });
    expect(history.status).toBe(200);
    const read = (await history.json()) as { messages: Message[] };
    expect(read.messages.map((message) => message.text)).toContain("Hello, Anna here.");
    const audit = await call("/v1/agent/queues/shop/reply/audit", { token: await agentToken("ops", undefined, ["admin"]) });
    const rows = ((await audit.json()) as { audit: { entryId: string; action: string }[] }).audit.filter((row) => row.entryId === entryId);
    expect(rows.map((row) => row.action)).toEqual(["replied", "claimed"]);
  });

  it("past the max wait the conversation hears it once, and the entry stays in line", async () => {
    await shopWith("cross-wait", "wait", { maxWaitSeconds: 1 });
    const anna = await agentToken("anna", "Anna");
    const { shopper, entryId } = await shopperInLine("cross-wait-user", "wait", anna);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await runDurableObjectAlarm(queueOf("wait"));
    await runDurableObjectAlarm(queueOf("wait"));
    const seen = await historyOf(shopper);
    // The one max-wait offer: leave a message, keep waiting, or back to the bot.
    const offers = seen.filter((message) => message.role === "bot" && (message.quickReplies ?? []).length === 3);
    expect(offers).toHaveLength(1);
    expect(seen.at(-1)).toEqual(offers[0]);
    expect(await lineOf(anna, "wait")).toEqual([entryId]);
  });

  it("a transfer takes the conversation to the other queue and tells the user", async () => {
    await shopWith("cross-transfer", "front");
    const anna = await agentToken("anna", "Anna");
    const { shopper, entryId } = await shopperInLine("cross-transfer-user", "front", anna);
    expect((await call(entryPath(entryId, "claim", "front"), { method: "POST", token: anna })).status).toBe(200);
    expect((await call(entryPath(entryId, "transfer", "front"), { method: "POST", token: anna, json: { toQueue: "orders" } })).status).toBe(200);
    const moved = await lineOf(anna, "orders");
    expect(moved).toHaveLength(1);
    expect(moved).not.toContain(entryId);
    const system = (await historyOf(shopper)).filter((message) => message.role === "system");
    expect(system).toHaveLength(2); // joined, transferred
  });
});
