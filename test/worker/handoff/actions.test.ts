import { beforeAll, describe, expect, it } from "vitest";
import type { QueueView } from "../../../src/protocol/agent.js";
import { errorOf } from "../helpers.js";
import { agentToken, call, enqueue, entryIdOf, entryPath, openAgentSocket, queueOf, realConversation, useHandoffShop } from "./fixtures.js";

beforeAll(() => useHandoffShop());

async function claimed(user: string, text: string, token: string): Promise<{ conversationId: string; entryId: string }> {
  const conversationId = await realConversation(user);
  await enqueue(conversationId, { text, at: Date.now() - 30_000 });
  const entryId = await entryIdOf(token, text);
  expect((await call(entryPath(entryId, "claim"), { method: "POST", token })).status).toBe(200);
  return { conversationId, entryId };
}

async function auditOf(queue = "general"): Promise<{ agentId: string; entryId: string; action: string; toQueue?: string }[]> {
  const response = await call(`/v1/agent/queues/shop/${queue}/audit?limit=200`, { token: await agentToken("ops-admin", undefined, ["admin"]) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { audit: { agentId: string; entryId: string; action: string; toQueue?: string }[] }).audit;
}

describe("an agent's actions on a held conversation", () => {
  it("notes are the agents' own: once per noteId, in the held view, audited without their text", async () => {
    const anna = await agentToken("anna", "Anna K.");
    const { entryId } = await claimed("actions-notes", "note this", anna);
    const body = { noteId: "n-1", text: "VIP: asked twice about a refund" };
    const first = await call(entryPath(entryId, "notes"), { method: "POST", token: anna, json: body });
    expect(first.status).toBe(200);
    expect(((await first.json()) as { note: { author: { id: string; name: string } } }).note.author).toEqual({ id: "anna", name: "Anna K." });
    expect((await call(entryPath(entryId, "notes"), { method: "POST", token: anna, json: body })).status).toBe(200);
    const view = (await (await call("/v1/agent/queues/shop/general", { token: anna })).json()) as QueueView;
    expect(view.held.find((held) => held.entryId === entryId)?.notes.map((note) => note.text)).toEqual([body.text]);
    const rows = (await auditOf()).filter((row) => row.entryId === entryId);
    expect(rows.map((row) => row.action)).toEqual(["noted", "claimed"]);
    expect(JSON.stringify(rows)).not.toContain("refund");
  });

  it("only the holder acts on it: others get 403, and bad input changes nothing", async () => {
    const anna = await agentToken("anna", "Anna K.");
    const bob = await agentToken("bob", "Bob");
    const { entryId } = await claimed("actions-holder", "mine only", anna);
    for (const [action, json] of [
      ["reply", { messageId: "m-1", text: "hi" }],
      ["notes", { noteId: "n-1", text: "hi" }],
      ["transfer", { toQueue: "orders" }],
      ["end", undefined],
    ] as const) {
      const refused = await call(entryPath(entryId, action), { method: "POST", token: bob, ...(json ? { json } : {}) });
      expect(refused.status, action).toBe(403);
    }
    expect((await call(entryPath(entryId, "history"), { token: bob })).status).toBe(403);
    const bad = await call(entryPath(entryId, "reply"), { method: "POST", token: anna, json: { messageId: "m 1", text: "hi" } });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({ code: "invalid_request", message: expect.stringContaining("messageId") });
    const unknownQueue = await call(entryPath(entryId, "transfer"), { method: "POST", token: anna, json: { toQueue: "billing" } });
    expect(unknownQueue.status).toBe(400);
    expect((await call(entryPath(entryId, "transfer"), { method: "POST", token: anna, json: { toQueue: "general" } })).status).toBe(400);
    const view = (await (await call("/v1/agent/queues/shop/general", { token: anna })).json()) as QueueView;
    expect(view.held.map((held) => held.entryId)).toContain(entryId);
    expect((await auditOf()).filter((row) => row.entryId === entryId).map((row) => row.action)).toEqual(["claimed"]);
  });

  it("transfer moves the entry to the other queue with its wait start; the agent lets go", async () => {
    const anna = await agentToken("anna", "Anna K.");
    const { entryId } = await claimed("actions-transfer", "about my order", anna);
    const socket = await openAgentSocket(anna);
    await socket.until("held");
    const moved = await call(entryPath(entryId, "transfer"), { method: "POST", token: anna, json: { toQueue: "orders" } });
    expect(moved.status).toBe(200);
    await socket.until("released", (frame) => frame.entryId === entryId && frame.reason === "transferred");
    const orders = (await (await call("/v1/agent/queues/shop/orders", { token: anna })).json()) as QueueView;
    const arrived = orders.line.find((entry) => entry.summary.lastMessages.some((message) => message.text === "about my order"));
    expect(arrived).toMatchObject({ transferredFrom: "general", overdue: false });
    expect(arrived?.waitedSeconds).toBeGreaterThanOrEqual(30);
    expect(arrived?.entryId).not.toBe(entryId);
    const general = (await (await call("/v1/agent/queues/shop/general", { token: anna })).json()) as QueueView;
    expect(general.held.map((held) => held.entryId)).not.toContain(entryId);
    expect((await auditOf()).find((row) => row.entryId === entryId && row.action === "transferred")).toMatchObject({ agentId: "anna", toQueue: "orders" });
    socket.close();
  });

  it("end hands back (resolved); the audit shows who claimed and who ended; a rating counts once", async () => {
    const anna = await agentToken("anna", "Anna K.");
    const { conversationId, entryId } = await claimed("actions-end", "end me", anna);
    const ended = await call(entryPath(entryId, "end"), { method: "POST", token: anna });
    expect(ended.status).toBe(200);
    expect(await ended.json()).toEqual({ entryId, resolution: "resolved" });
    expect((await call(entryPath(entryId, "end"), { method: "POST", token: anna })).status).toBe(403);
    const rows = (await auditOf()).filter((row) => row.entryId === entryId);
    expect(rows.map((row) => [row.agentId, row.action])).toEqual([
      ["anna", "ended"],
      ["anna", "claimed"],
    ]);
    const before = (await (await call("/v1/agent/queues/shop/general", { token: anna })).json()) as QueueView;
    await queueOf().rated(conversationId, 5);
    await queueOf().rated(conversationId, 1);
    const after = (await (await call("/v1/agent/queues/shop/general", { token: anna })).json()) as QueueView;
    expect(after.stats.ratings - before.stats.ratings).toBe(1);
    expect(after.stats.satisfaction).not.toBeNull();
  });

  it("canned replies come from the bot's stable version", async () => {
    const anna = await agentToken("anna");
    const response = await call("/v1/agent/bots/shop/canned", { token: anna });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      bot: "shop",
      version: "handoff-1",
      cannedReplies: [{ id: "thanks", text: { en: "Thanks for waiting!", zh: "感谢您的耐心等待！" } }],
    });
    expect((await call("/v1/agent/bots/nobot/canned", { token: anna })).status).toBe(404);
  });
});
