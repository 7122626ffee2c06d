import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import shop from "../../../bots/shop.json";
import type { AgentVisibleMessage } from "../../../src/handoff/types.js";
import type { ServerFrame } from "../../../src/protocol/frames.js";
import { say, tokenFor } from "../helpers.js";
import { adminToken, eventually, publish, setRollout, viewOf } from "../registry/fixtures.js";
import { liveSocket } from "../ws-client.js";
import { agentToken, call, entryIdOf, entryPath, openAgentSocket, queueOf } from "./fixtures.js";

/**
 * The shopper's side of a human handoff, through the chat API and the user's socket, with real
 * agents on the other end (the HandoffQueue, its REST routes and agent sockets).
 */

interface Turn {
  seq: number;
  reply: { text: string; quickReplies?: string[] };
  handoff?: { status: string; queue: string; agent?: { id: string; name: string } };
}

async function turn(token: string, text: string, clientMessageId: string): Promise<Turn> {
  const response = await say(token, text, clientMessageId);
  expect(response.status).toBe(200);
  return (await response.json()) as Turn;
}

async function history(token: string): Promise<{ role: string; text: string; author?: { name: string } }[]> {
  const response = await call("/v1/conversation/messages?limit=200", { token });
  return ((await response.json()) as { messages: { role: string; text: string; author?: { name: string } }[] }).messages;
}

/**
 * The shop with the handoff settings of a test, as the stable version: each test has a queue of
 * its own (agents online in another test's queue must not count), which its handoff flow uses.
 */
async function shopWith(version: string, queue: string, handoff: Record<string, unknown> = {}): Promise<void> {
  const admin = await adminToken("handoff-conversation-admin");
  const text = JSON.stringify({ ...shop, version, handoff: { queues: [queue], ...handoff } }).replaceAll(
    '"type":"handoff","reason"',
    `"type":"handoff","queue":"${queue}","reason"`,
  );
  expect(text).toContain(`"queue":"${queue}"`);
  expect((await publish(admin, "shop", version, JSON.parse(text))).status).toBe(201);
  expect((await setRollout(admin, "shop", { stable: version })).status).toBe(200);
  // Isolates take a rollout within its TTL: the queue's routes once they know it, a conversation once it runs on it.
  const agent = await agentToken("probe", "Probe");
  await eventually(async () => ((await call(`/v1/agent/queues/shop/${queue}`, { token: agent })).status === 200 ? true : undefined));
  await eventually(async () => ((await viewOf(await tokenFor(`probe-${version}`))).botVersion === version ? true : undefined));
}

const messages = (frames: ServerFrame[]) => frames.filter((frame): frame is Extract<ServerFrame, { type: "message" }> => frame.type === "message");

describe("a shopper handed to a human agent", () => {
  it("waits in line, talks with the agent live (masked for the agent), and is back with the bot when the agent ends", async () => {
    await shopWith("hc-live", "live", { satisfaction: true });
    const agent = await agentToken("anna", "Anna");
    const desk = await openAgentSocket(agent, "live");
    desk.send({ type: "presence", status: "online" });
    await desk.until("line");
    const shopper = await tokenFor("handoff-shopper-1");
    const asked = await turn(shopper, "human please", "h1");
    expect(asked.reply.text).toContain("You're number 1 in line");
    const socket = await liveSocket(shopper, asked.seq);

    const entryId = await entryIdOf(agent, "human please", "live");
    expect((await call(entryPath(entryId, "claim", "live"), { method: "POST", token: agent })).status).toBe(200);
    const joined = await socket.until((frames) => messages(frames).some((m) => m.role === "system"), "joined line");
    expect(messages(joined).find((m) => m.role === "system")).toMatchObject({ text: "Anna joined the chat", author: { id: "anna", name: "Anna" } });

    const routed = await turn(shopper, "my parcel is late, call me on 13912345678", "h2");
    expect(routed).toMatchObject({ reply: { text: "" }, handoff: { status: "held", queue: "live", agent: { id: "anna", name: "Anna" } } });
    const forwarded = await desk.until("message", (frame) => frame.entryId === entryId);
    expect((forwarded.message as AgentVisibleMessage).text).toBe("my parcel is late, call me on ***5678");

    const reply = await call(entryPath(entryId, "reply", "live"), {
      method: "POST",
      token: agent,
      json: { messageId: "anna-1", text: "Sorry about that, I'm checking now." },
    });
    expect(reply.status).toBe(200);
    const again = await call(entryPath(entryId, "reply", "live"), {
      method: "POST",
      token: agent,
      json: { messageId: "anna-1", text: "Sorry about that, I'm checking now." },
    });
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    const live = await socket.until((frames) => messages(frames).some((m) => m.role === "agent"), "agent message");
    expect(messages(live).filter((m) => m.role === "agent")).toEqual([
      expect.objectContaining({ text: "Sorry about that, I'm checking now.", author: { id: "anna", name: "Anna" } }),
    ]);

    expect((await call(entryPath(entryId, "end", "live"), { method: "POST", token: agent })).status).toBe(200);
    await socket.until((frames) => messages(frames).some((m) => m.text.includes("rate the help")), "rating question");
    const rated = await turn(shopper, "5", "h3");
    expect(rated.reply.text).toBe("Thank you for your rating!");
    expect((await turn(shopper, "hello", "h4")).reply.text).toContain("shoe shop assistant");

    const shown = await history(shopper);
    expect(shown.map((m) => m.role)).toContain("agent");
    expect(shown.find((m) => m.role === "system" && m.text === "Anna left the chat")).toBeDefined();
    expect(shown.some((m) => m.text.includes("13912345678"))).toBe(false);
    socket.close();
    desk.close();
  });

  it("with no agent online, takes a message for the team instead, and the bot answers again", async () => {
    await shopWith("hc-offline", "offline");
    const shopper = await tokenFor("handoff-shopper-2");
    expect((await turn(shopper, "转人工", "o1")).reply.text).toContain("现在没有客服在线");
    expect((await turn(shopper, "我的订单AB123456还没到，麻烦看一下", "o2")).reply.text).toBe("收到，您的留言已转给客服，他们会在这里回复您。");
    const tickets = await call("/v1/agent/queues/shop/offline/tickets", { token: await agentToken("ben", "Ben") });
    expect(JSON.stringify(await tickets.json())).toContain("我的订单AB123456还没到");
    expect((await turn(shopper, "你好", "o3")).reply.text).toContain("鞋店");
  });

  it("in line: 'back' returns to the bot, and the line no longer holds the conversation", async () => {
    await shopWith("hc-back", "back");
    const desk = await openAgentSocket(await agentToken("cleo", "Cleo"), "back");
    desk.send({ type: "presence", status: "online" });
    await desk.until("line");
    const shopper = await tokenFor("handoff-shopper-3");
    expect((await turn(shopper, "I want to talk to a person", "b1")).reply.text).toContain("in line");
    expect((await turn(shopper, "back", "b2")).reply.text).toBe("OK, you're back with the bot. How can I help?");
    const view = (await (await call("/v1/agent/queues/shop/back", { token: await agentToken("cleo", "Cleo") })).json()) as { line: unknown[] };
    expect(JSON.stringify(view.line)).not.toContain("talk to a person");
    desk.close();
  });

  it("past the wait, offers to leave a message; 'leave a message' then the text makes a ticket", async () => {
    await shopWith("hc-expired", "expired");
    const desk = await openAgentSocket(await agentToken("dan", "Dan"), "expired");
    desk.send({ type: "presence", status: "online" });
    await desk.until("line");
    const shopper = await tokenFor("handoff-shopper-4");
    await turn(shopper, "human please", "e1");
    await env.CONVERSATION.getByName("handoff-shopper-4").waitExpired("expired");
    const shown = await history(shopper);
    expect(shown.at(-1)?.text).toContain("no agent is free yet");
    expect((await turn(shopper, "leave a message", "e2")).reply.text).toBe("Please type your message for the team.");
    expect((await turn(shopper, "Please call me back about my refund", "e3")).reply.text).toContain("your message is with the team");
    expect(JSON.stringify(await (await call("/v1/agent/queues/shop/expired/tickets", { token: await agentToken("dan", "Dan") })).json())).toContain(
      "call me back about my refund",
    );
    desk.close();
  });

  it("erasing the conversation while in line takes it out of the line", async () => {
    await shopWith("hc-erase", "erase");
    const desk = await openAgentSocket(await agentToken("eve", "Eve"), "erase");
    desk.send({ type: "presence", status: "online" });
    await desk.until("line");
    const shopper = await tokenFor("handoff-shopper-5");
    await turn(shopper, "human please", "x1");
    const lineOf = async () =>
      ((await (await call("/v1/agent/queues/shop/erase", { token: await agentToken("eve", "Eve") })).json()) as { line: unknown[] }).line;
    expect(await lineOf()).toHaveLength(1);
    expect((await call("/v1/conversation", { method: "DELETE", token: shopper })).status).toBe(204);
    expect(await lineOf()).toHaveLength(0);
    expect(await queueOf("erase").agentsOnline()).toBe(1);
    desk.close();
  });
});
