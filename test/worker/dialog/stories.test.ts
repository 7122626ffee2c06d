import { describe, expect, it } from "vitest";
import { maskValue } from "../../../src/dialog/index.js";
import basics from "../../unit/dialog/stories/basics.json";
import followups from "../../unit/dialog/stories/followups.json";
import lottery from "../../unit/dialog/stories/lottery.json";
import orders from "../../unit/dialog/stories/orders.json";
import stock from "../../unit/dialog/stories/stock.json";
import type { Story } from "../../unit/dialog/story.js";
import { call, say, tokenFor } from "../helpers.js";

/**
 * The story files of the pure engine, replayed through the Worker end to end: gateway,
 * actor, event log, registry-published bot. Stories that need a clock (session expiry),
 * another bot, faked webhooks or blank text stay in the Node suite.
 */
// Blank text is a 400 at the gateway by contract, so stories sending it stay in the Node suite too.
const runnable = (story: Story) => !story.bot && !story.actions && story.turns.every((turn) => turn.after === undefined && turn.user.trim() !== "");
const stories = ([...basics, ...stock, ...orders, ...lottery, ...followups] as Story[]).filter(runnable);

describe("stories through the Worker", () => {
  it("has stories to run", () => expect(stories.length).toBeGreaterThanOrEqual(5));

  stories.forEach((story, n) => {
    it(story.name, async () => {
      const token = await tokenFor(`story-${n}`);
      for (const [index, turn] of story.turns.entries()) {
        const response = await say(token, turn.user, `t${index}`);
        expect(response.status).toBe(200);
        const { reply } = (await response.json()) as { reply: { text: string; quickReplies?: string[] } };
        const where = `turn ${index + 1} (${turn.user}) → ${reply.text}`;
        if (turn.bot !== undefined) expect(reply.text, where).toMatch(new RegExp(turn.bot, "u"));
        if (turn.botNot !== undefined) expect(reply.text, where).not.toMatch(new RegExp(turn.botNot, "u"));
        for (const q of turn.quickReplies ?? []) expect(reply.quickReplies ?? [], where).toContain(q);
        if (turn.slots || turn.flow !== undefined) {
          const view = (await (await call("/v1/conversation", { token })).json()) as { slots: Record<string, unknown>; activeFlow: string | null };
          for (const [name, value] of Object.entries(turn.slots ?? {})) {
            const shown = view.slots[name] ?? null;
            const expected = typeof shown === "string" && shown.startsWith("***") && value !== null ? maskValue(value) : value;
            expect(shown, `${where}: slot ${name}`).toEqual(expected);
          }
          if (turn.flow !== undefined) expect(view.activeFlow, `${where}: flow`).toBe(turn.flow);
        }
      }
    });
  });
});
