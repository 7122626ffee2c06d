import { describe, expect, it } from "vitest";
import { maskValue } from "../../../src/dialog/index.js";
import devEn from "../../fixtures/conversations/dev/en.json";
import devMixed from "../../fixtures/conversations/dev/mixed.json";
import devZh from "../../fixtures/conversations/dev/zh.json";
import heldOutEn from "../../fixtures/conversations/held-out/en.json";
import heldOutMixed from "../../fixtures/conversations/held-out/mixed.json";
import heldOutZh from "../../fixtures/conversations/held-out/zh.json";
import { replyProblems } from "../../support/conversations/evaluate.js";
import type { Conversation } from "../../support/conversations/schema.js";
import { parseConversationFile } from "../../support/conversations/schema.js";
import { call, say, tokenFor } from "../helpers.js";

/**
 * The conversations marked `worker` in the conversation test set, through the Worker end to
 * end (gateway, actor, event log, registry-published bot), one user each. The reply checks,
 * slots and active flow are asserted as in the pure run; which part of the bot handled a turn
 * is not visible over the API, so `handled` is left to the pure run.
 */
const files = { "dev/en": devEn, "dev/zh": devZh, "dev/mixed": devMixed, "held-out/en": heldOutEn, "held-out/zh": heldOutZh, "held-out/mixed": heldOutMixed };
const sample = Object.entries(files).flatMap(([name, data]) => parseConversationFile(name, data as unknown).filter((c) => c.worker));

interface View {
  slots: Record<string, unknown>;
  activeFlow: string | null;
}

describe("conversation test set through the Worker", () => {
  it("has a sample to run", () => expect(sample.length).toBeGreaterThanOrEqual(4));

  for (const conversation of sample) it(conversation.id, () => play(conversation));
});

async function play(conversation: Conversation): Promise<void> {
  const token = await tokenFor(`conversation-${conversation.id}`);
  for (const [index, turn] of conversation.turns.entries()) {
    const response = await say(token, turn.user, `t${index}`);
    expect(response.status).toBe(200);
    const { reply } = (await response.json()) as { reply: { text: string } };
    const where = `turn ${index + 1} (${turn.user}) → ${reply.text}`;
    expect(replyProblems(turn, reply.text), where).toEqual([]);
    if (turn.slots === undefined && turn.flow === undefined) continue;
    const view = (await (await call("/v1/conversation", { token })).json()) as View;
    for (const [name, value] of Object.entries(turn.slots ?? {})) {
      const shown = view.slots[name] ?? null;
      // Sensitive slots come back masked; compare the mask of the expected value.
      const expected = typeof shown === "string" && shown.startsWith("***") && value !== null ? maskValue(value) : value;
      expect(shown, `${where}: slot ${name}`).toEqual(expected);
    }
    if (turn.flow !== undefined) expect(view.activeFlow, `${where}: flow`).toBe(turn.flow);
  }
}
