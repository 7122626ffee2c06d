import { beforeAll, describe, expect, it } from "vitest";
import { errorOf, tokenFor } from "../helpers.js";
import { agentToken, call, enqueue, entryIdOf, entryPath, realConversation, useHandoffShop } from "./fixtures.js";

beforeAll(() => useHandoffShop());

describe("claiming a waiting conversation", () => {
  it("20 agents claim at once: exactly one 200, 19 × 409, and the audit names the winner", async () => {
    const conversationId = await realConversation("claims-race-user");
    const placed = await enqueue(conversationId, { text: "race me" });
    expect(placed.position).toBeGreaterThanOrEqual(1);
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => agentToken(`race-agent-${i}`, `Agent ${i}`)));
    const entryId = await entryIdOf(tokens[0] ?? "", "race me");

    const answers = await Promise.all(tokens.map((token) => call(entryPath(entryId, "claim"), { method: "POST", token })));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);

    const winner = statuses.indexOf(200);
    const admin = await agentToken("ops-admin", undefined, ["admin"]);
    const audit = (await (await call("/v1/agent/queues/shop/general/audit", { token: admin })).json()) as {
      audit: { agentId: string; entryId: string; action: string }[];
    };
    expect(audit.audit.filter((row) => row.entryId === entryId)).toEqual([expect.objectContaining({ agentId: `race-agent-${winner}`, action: "claimed" })]);
  });
});

describe("claim answers", () => {
  it("the same agent claiming again gets its entry again; the line no longer shows it", async () => {
    const conversationId = await realConversation("claims-again-user");
    await enqueue(conversationId, { text: "claim me twice" });
    const anna = await agentToken("anna", "Anna K.");
    const entryId = await entryIdOf(anna, "claim me twice");
    const first = await call(entryPath(entryId, "claim"), { method: "POST", token: anna });
    expect(first.status).toBe(200);
    const again = await call(entryPath(entryId, "claim"), { method: "POST", token: anna });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { entry: { entryId: string } }).entry.entryId).toBe(entryId);
    const view = (await (await call("/v1/agent/queues/shop/general", { token: anna })).json()) as { line: { entryId: string }[]; held: { entryId: string }[] };
    expect(view.line.map((entry) => entry.entryId)).not.toContain(entryId);
    expect(view.held.map((entry) => entry.entryId)).toContain(entryId);
  });

  it("an unknown entry is a 404; a malformed id a 400; an unknown queue or bot a 404", async () => {
    const anna = await agentToken("anna", "Anna K.");
    expect((await call(entryPath("NoSuchEntry000000", "claim"), { method: "POST", token: anna })).status).toBe(404);
    const malformed = await call(entryPath("x", "claim"), { method: "POST", token: anna });
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).message).toContain("entryId");
    expect((await call("/v1/agent/queues/shop/nowhere", { token: anna })).status).toBe(404);
    expect((await call("/v1/agent/queues/nobot/general", { token: anna })).status).toBe(404);
  });

  it("needs the agent scope: a chat token gets 403, no token 401", async () => {
    const conversationId = await realConversation("claims-scope-user");
    await enqueue(conversationId, { text: "scope check" });
    const entryId = await entryIdOf(await agentToken("anna"), "scope check");
    const chat = await tokenFor("claims-scope-user");
    const refused = await call(entryPath(entryId, "claim"), { method: "POST", token: chat });
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe("forbidden");
    expect((await call("/v1/agent/queues/shop/general", { token: chat })).status).toBe(403);
    expect((await call("/v1/agent/queues/shop/general")).status).toBe(401);
    expect((await call("/v1/agent/queues/shop/general/audit", { token: await agentToken("anna") })).status).toBe(403);
    // Nothing changed: still waiting.
    expect(await entryIdOf(await agentToken("anna"), "scope check")).toBe(entryId);
  });
});
