import { evictDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { tokenFor } from "../helpers.js";
import { AgentSocket, agentSocketResponse, agentToken, enqueue, openAgentSocket, queueOf, realConversation, useHandoffShop } from "./fixtures.js";

beforeAll(() => useHandoffShop());

describe("GET /v1/agent/ws", () => {
  it("greets with the line and what the agent holds; a claim over the socket reaches every agent", async () => {
    const conversationId = await realConversation("sockets-claim");
    await enqueue(conversationId, { text: "socket claim" });
    const anna = await openAgentSocket(await agentToken("anna", "Anna K."));
    const bob = await openAgentSocket(await agentToken("bob", "Bob"));
    const line = await anna.until("line");
    const entryId = line.entries.find((entry) => entry.summary.lastMessages[0]?.text === "socket claim")?.entryId ?? "";
    expect(entryId).not.toBe("");
    expect(line.stats.agentsOnline).toBeGreaterThanOrEqual(1);
    await anna.until("held");

    anna.send({ type: "claim", entryId });
    bob.send({ type: "claim", entryId });
    await bob.until("claimed", (frame) => frame.entryId === entryId);
    await anna.until("held", (frame) => frame.entries.some((held) => held.entryId === entryId));
    await bob.until("entry", (frame) => frame.entryId === entryId && frame.entry === null);
    const refusals = () => [...anna.of("error"), ...bob.of("error")];
    while (refusals().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await anna.quiet();
    expect(refusals()).toEqual([expect.objectContaining({ code: "conflict", entryId })]);
    expect(bob.of("claimed").find((frame) => frame.entryId === entryId)?.agent).toEqual({ id: "anna", name: "Anna K." });
    anna.close();
    bob.close();
  });

  it("a hibernated agent socket still receives a user message; a reload gets what it holds again", async () => {
    const conversationId = await realConversation("sockets-hibernate");
    await enqueue(conversationId, { text: "hibernate" });
    const token = await agentToken("carol", "Carol");
    const socket = await openAgentSocket(token);
    const entryId = (await socket.until("line")).entries.find((entry) => entry.summary.lastMessages[0]?.text === "hibernate")?.entryId ?? "";
    socket.send({ type: "claim", entryId });
    await socket.until("held", (frame) => frame.entries.some((held) => held.entryId === entryId));

    await evictDurableObject(queueOf());
    await queueOf().userMessage(conversationId, { seq: 9, at: Date.now(), role: "user", text: "are you still there?" });
    const message = await socket.until("message", (frame) => frame.entryId === entryId);
    expect(message.message.text).toBe("are you still there?");

    socket.close();
    await socket.closed;
    const reloaded = await openAgentSocket(token);
    const held = await reloaded.until("held");
    expect(held.entries.map((entry) => entry.entryId)).toContain(entryId);
    expect(held.entries.find((entry) => entry.entryId === entryId)?.summary.lastMessages.map((m) => m.text)).toContain("are you still there?");
    reloaded.close();
  });

  it("presence: an away agent is not counted online", async () => {
    const dave = await openAgentSocket(await agentToken("dave"));
    await dave.until("line");
    const online = await queueOf().agentsOnline();
    dave.send({ type: "presence", status: "away" });
    dave.send({ type: "ping" });
    await dave.until("pong");
    expect(await queueOf().agentsOnline()).toBe(online - 1);
    dave.close();
  });

  it("a bad frame gets an error frame and the socket stays open", async () => {
    const erin = await openAgentSocket(await agentToken("erin"));
    erin.send({ type: "claim", entryId: "nope" });
    expect((await erin.until("error")).code).toBe("invalid_request");
    erin.send({ type: "ping" });
    await erin.until("pong");
    erin.close();
  });

  it("a chat token is refused with 4403, a bad token with 4401", async () => {
    const chat = await agentSocketResponse(await tokenFor("sockets-chat-user"));
    expect(chat.status).toBe(101);
    const refused = new AgentSocket(chat.webSocket as WebSocket);
    expect((await refused.closed).code).toBe(4403);
    const bad = new AgentSocket((await agentSocketResponse("not-a-jwt")).webSocket as WebSocket);
    expect((await bad.closed).code).toBe(4401);
  });
});
