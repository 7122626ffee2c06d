import { beforeAll, describe, expect, it } from "vitest";
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
