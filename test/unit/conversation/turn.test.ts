import { describe, expect, it } from "vitest";
import { foldEvents, initialConversationState } from "../../../src/conversation/state.js";
import type { ActionPerformer } from "../../../src/conversation/turn.js";
import { runTurn } from "../../../src/conversation/turn.js";
import { offlineAction } from "../../support/offline-actions.js";
import { loadBot } from "../dialog/harness.js";

const bot = loadBot("shop");
const builtins: ActionPerformer = async (request) => offlineAction(request);

describe("runTurn", () => {
  it("appends the user's message, the engine's events and the bot's reply with consecutive seqs", async () => {
    const outcome = await runTurn(initialConversationState(), { text: "hello", clientMessageId: "m1", at: 1000 }, bot, builtins);
    expect(outcome.events[0]).toMatchObject({ seq: 1, event: { type: "message.user", text: "hello", clientMessageId: "m1" } });
    expect(outcome.events.at(-1)).toMatchObject({ event: { type: "message.bot", botVersion: "1" } });
    expect(outcome.events.map((e) => e.seq)).toEqual(outcome.events.map((_, i) => i + 1));
    expect(outcome.seq).toBe(outcome.events.length);
    expect(outcome.reply.text).toBe((outcome.events.at(-1)!.event as { text: string }).text);
  });

  it("produces the state a replay of its events produces", async () => {
    let state = initialConversationState();
    const log = [];
    for (const [i, text] of ["hello", "do you have running shoes?", "39", "thanks"].entries()) {
      const outcome = await runTurn(state, { text, at: 1000 + i }, bot, builtins);
      log.push(...outcome.events);
      state = outcome.state;
    }
    expect(foldEvents(initialConversationState(), log)).toEqual(state);
    expect(state.dialog.slots["size"]?.value).toBe(39);
    expect(state.messages).toBe(8);
  });

  it("feeds an action's failure back to the flow and still answers", async () => {
    const failing: ActionPerformer = async () => ({ ok: false, error: "timeout" });
    const outcome = await runTurn(initialConversationState(), { text: "do you have running shoes in size 39?", at: 1 }, bot, failing);
    expect(outcome.events.some((e) => e.event.type === "action.failed")).toBe(true);
    expect(outcome.reply.text.length).toBeGreaterThan(0);
  });

  it("does not mutate the state it is given", async () => {
    const state = initialConversationState();
    const before = structuredClone(state);
    await runTurn(state, { text: "do you have running shoes in size 39?", at: 1 }, bot, builtins);
    expect(state).toEqual(before);
  });

  it("flags where a user's message holds the sensitive value it gave", async () => {
    let state = initialConversationState();
    state = (await runTurn(state, { text: "I want to change my delivery address", at: 1 }, bot, builtins)).state;
    const outcome = await runTurn(state, { text: "it's 13812345678", at: 2 }, bot, builtins);
    expect(outcome.events[0]?.event).toMatchObject({ type: "message.user", sensitiveSpans: [[5, 16]] });
    const plain = await runTurn(initialConversationState(), { text: "hello", at: 1 }, bot, builtins);
    expect(plain.events[0]?.event).not.toHaveProperty("sensitiveSpans");
  });
});
