import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { HandoffQueue } from "../../../durable-objects/handoff/handoff-queue.js";
import type { QueueView } from "../../../src/protocol/agent.js";
import { agentToken, call, enqueue, entryIdOf, entryPath, queueOf, realConversation, summaryOf, useHandoffShop } from "./fixtures.js";

beforeAll(() => useHandoffShop());

async function viewOf(queue = "general"): Promise<QueueView> {
  const response = await call(`/v1/agent/queues/shop/${queue}`, { token: await agentToken("line-watcher") });
  expect(response.status).toBe(200);
  return (await response.json()) as QueueView;
}

const inLine = (view: QueueView, text: string) => view.line.filter((entry) => entry.summary.lastMessages.some((message) => message.text === text));

describe("the waiting line", () => {
  it("first come, first served; enqueueing again is the same place, also after the queue's eviction", async () => {
    const first = await realConversation("line-first");
    const second = await realConversation("line-second");
    const a = await enqueue(first, { text: "line first", queue: "orders" });
    const b = await enqueue(second, { text: "line second", queue: "orders" });
    expect([a.position, b.position]).toEqual([1, 2]);
    await evictDurableObject(queueOf("orders"));
    expect((await enqueue(second, { text: "line second", queue: "orders" })).position).toBe(2);
    const view = await viewOf("orders");
    expect(view.line.map((entry) => entry.summary.lastMessages[0]?.text)).toEqual(["line first", "line second"]);
    expect(view.line.map((entry) => entry.position)).toEqual([1, 2]);

    await queueOf("orders").cancel(first, "user_cancelled");
    await evictDurableObject(queueOf("orders"));
    await queueOf("orders").cancel(first, "user_cancelled"); // twice is fine
    const after = await viewOf("orders");
    expect(after.line.map((entry) => [entry.summary.lastMessages[0]?.text, entry.position])).toEqual([["line second", 1]]);
    expect((await enqueue(second, { queue: "orders" })).position).toBe(1);
  });

  it("agents see an opaque entry id and a masked summary, never the conversation or the user", async () => {
    const conversationId = await realConversation("line-private");
    await enqueue(conversationId, { text: "private please" });
    const [entry] = inLine(await viewOf(), "private please");
    expect(entry?.entryId).not.toContain(conversationId.slice(0, 16));
    expect(JSON.stringify(entry)).not.toContain(conversationId);
    expect(JSON.stringify(entry)).not.toContain("pseudo-");
    expect(entry?.summary.slots).toEqual({ phone: "***5678" });
  });

  it("a user message while waiting lands in the entry's summary", async () => {
    const conversationId = await realConversation("line-follow-up");
    await enqueue(conversationId, { text: "line follow-up" });
    await queueOf().userMessage(conversationId, { seq: 7, at: Date.now(), role: "user", text: "hello?? anyone there" });
    const [entry] = inLine(await viewOf(), "line follow-up");
    expect(entry?.summary.lastMessages.map((message) => message.text)).toEqual(["line follow-up", "hello?? anyone there"]);
  });
});

describe("leaving the line", () => {
  it("cancelling while waiting counts as abandoned; a ticket does not; a held conversation is not abandoned", async () => {
    const before = (await viewOf()).stats;
    const gone = await realConversation("line-abandon");
    await enqueue(gone, { text: "abandon me" });
    await queueOf().cancel(gone, "user_cancelled");
    await queueOf().cancel(gone, "user_cancelled");
    const ticketed = await realConversation("line-ticket");
    await enqueue(ticketed, { text: "ticket me" });
    const ticket = { conversationId: ticketed, user: "pseudo-ticket", text: "call me back tomorrow", summary: summaryOf("ticket me"), at: 1_000 };
    const { ticketId } = await queueOf().leaveTicket(ticket);
    expect((await queueOf().leaveTicket(ticket)).ticketId).toBe(ticketId);
    await queueOf().cancel(ticketed, "ticket");
    const held = await realConversation("line-held-cancel");
    await enqueue(held, { text: "held then cancelled" });
    const anna = await agentToken("anna");
    expect((await call(entryPath(await entryIdOf(anna, "held then cancelled"), "claim"), { method: "POST", token: anna })).status).toBe(200);
    await queueOf().cancel(held, "user_cancelled");

    const after = await viewOf();
    expect(after.stats.abandoned - before.abandoned).toBe(1);
    expect(after.stats.tickets - before.tickets).toBe(1);
    expect(after.stats.handled - before.handled).toBe(1);
    expect(inLine(after, "abandon me")).toEqual([]);
    const tickets = (await (await call("/v1/agent/queues/shop/general/tickets", { token: anna })).json()) as { tickets: { ticketId: string; text: string }[] };
    expect(tickets.tickets.filter((known) => known.ticketId === ticketId).map((known) => known.text)).toEqual(["call me back tomorrow"]);
  });

  it("a user erasing the conversation while queued: out of the line, its tickets and texts gone", async () => {
    const conversationId = await realConversation("line-erase");
    await enqueue(conversationId, { text: "erase me" });
    await queueOf().leaveTicket({ conversationId, user: "pseudo-erase", text: "my address is Main St 1", summary: summaryOf("erase me"), at: 2_000 });
    await queueOf().cancel(conversationId, "erased");
    expect(inLine(await viewOf(), "erase me")).toEqual([]);
    const tickets = await queueOf().tickets(200);
    expect(JSON.stringify(tickets)).not.toContain("Main St");
    await runInDurableObject(queueOf(), (_: HandoffQueue, state) => {
      const rows = state.storage.sql.exec<{ summary: string }>("SELECT summary FROM entries WHERE summary LIKE '%erase me%'").toArray();
      expect(rows).toEqual([]);
    });
  });
});

describe("max wait", () => {
  it("past handoff.maxWaitSeconds the queue owes the conversation one waitExpired; the entry stays in line", async () => {
    const conversationId = await realConversation("line-max-wait");
    await enqueue(conversationId, { text: "waited too long", maxWaitSeconds: 5, at: Date.now() - 60_000 });
    await runDurableObjectAlarm(queueOf());
    await runDurableObjectAlarm(queueOf());
    const [entry] = inLine(await viewOf(), "waited too long");
    expect(entry?.overdue).toBe(true);
    expect(entry?.waitedSeconds).toBeGreaterThanOrEqual(60);
    await runInDurableObject(queueOf(), (_: HandoffQueue, state) => {
      const notified = state.storage.sql
        .exec<{ n: number }>("SELECT COUNT(*) AS n FROM entries WHERE conversation_id = ? AND expired_notified = 1", conversationId)
        .one();
      expect(notified.n).toBe(1);
      // Owed once: either still in the outbox (the conversation did not take it yet) or delivered.
      const owed = state.storage.sql
        .exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE conversation_id = ? AND call LIKE '%waitExpired%'", conversationId)
        .one();
      expect(owed.n).toBeLessThanOrEqual(1);
    });
  });

  it("no deadline, no alarm: an empty queue does not wake", async () => {
    const fresh = queueOf("orders");
    const conversationId = await realConversation("line-no-alarm");
    await enqueue(conversationId, { queue: "orders", text: "short stay" });
    await fresh.cancel(conversationId, "user_cancelled");
    await runInDurableObject(fresh, async (_: HandoffQueue, state) => {
      const waiting = state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM entries WHERE state = 'waiting'").one().n;
      if (waiting === 0) {
        await runDurableObjectAlarm(fresh);
        expect(await state.storage.getAlarm()).toBeNull();
      }
    });
  });
});
