import { describe, expect, it } from "vitest";
import type { DialogEvent, DialogInput, LlmCommand } from "../../../../src/dialog/index.js";
import { initialDialogState, step, wantsUnderstanding } from "../../../../src/dialog/index.js";
import { loadBot } from "../harness.js";
import { run, shopWithLlm, stateAfter } from "./llm-bot.js";

const bot = shopWithLlm();
const AT = 10_000;

function commands(text: string, list: unknown[], dropped: { command: unknown; reason: string }[] = []): DialogInput {
  return { kind: "commands", text, commands: list as LlmCommand[], proposed: list.length + dropped.length, dropped, at: AT };
}

const types = (events: readonly DialogEvent[]): string[] => events.map((e) => e.type);

describe("wantsUnderstanding", () => {
  it("asks for commands when the rules fell back or asked again, and only for a bot with llm.understand", () => {
    const unsure = step(initialDialogState(), { kind: "text", text: "blorp zzz", at: AT }, bot);
    expect(wantsUnderstanding(unsure, bot)).toBe(true);
    const reprompt = step(stateAfter(bot, ["do you have running shoes"]), { kind: "text", text: "the bigger ones", at: AT }, bot);
    expect(types(reprompt.events)).toContain("ask.reprompted");
    expect(wantsUnderstanding(reprompt, bot)).toBe(true);
    const sure = step(initialDialogState(), { kind: "text", text: "do you have running shoes in 42", at: AT }, bot);
    expect(wantsUnderstanding(sure, bot)).toBe(false);
    expect(wantsUnderstanding(unsure, loadBot("shop"))).toBe(false);
    expect(wantsUnderstanding(unsure, shopWithLlm({ understand: false }))).toBe(false);
  });
});

describe("a commands input", () => {
  const askingSize = stateAfter(bot, ["do you have running shoes"]);

  it("records the parse and an llm.commands event, then answers the pending question with the value", () => {
    const { result, state } = run(askingSize, commands("the bigger ones, forty two", [{ command: "set_slot", slot: "size", value: 42 }]), bot);
    const [parsed, record] = result.events;
    expect(parsed?.type).toBe("nlu.parsed");
    expect(record).toEqual({
      type: "llm.commands",
      v: 1,
      at: AT,
      proposed: 1,
      accepted: [{ command: "set_slot", slot: "size", value: 42 }],
      dropped: 0,
      reasons: [],
    });
    expect(state.slots.size?.value).toBe(42);
    // the flow went on to its stock check, which only the flow's own call step requests
    expect(result.action?.name).toBe("inventory.check");
  });

  it("starts a flow with the values the model read, asking only what is missing", () => {
    const { result, state } = run(
      initialDialogState(),
      commands("need some trail stompers", [
        { command: "start_flow", flow: "check_stock" },
        { command: "set_slot", slot: "product", value: "hiking" },
      ]),
      bot,
    );
    expect(state.flows.map((f) => f.flow)).toEqual(["check_stock"]);
    expect(state.slots.product?.value).toBe("hiking");
    expect(result.reply?.text).toBe("What size do you need (EU 30–50)?");
  });

  it("corrects a value given earlier and runs the flow again from its question", () => {
    const state = stateAfter(bot, ["do you have running shoes"]);
    const { result, state: next } = run(
      state,
      commands("ugh not those, the canvas ones", [{ command: "correct_slot", slot: "product", value: "canvas" }]),
      bot,
    );
    expect(types(result.events)).toContain("slot.corrected");
    expect(next.slots.product?.value).toBe("canvas");
    expect(result.reply?.text).toBe("What size do you need (EU 30–50)?");
  });

  it("cancels the open flow", () => {
    const { result, state } = run(askingSize, commands("forget it", [{ command: "cancel_flow" }]), bot);
    expect(state.flows).toEqual([]);
    expect(result.reply?.text).toBe("OK, I've stopped that.");
  });

  it("hands off to a human", () => {
    const { result, state } = run(askingSize, commands("get me someone real", [{ command: "human_handoff" }]), bot);
    expect(types(result.events)).toContain("handoff.requested");
    expect(state.flows).toEqual([]);
  });

  it("offers the flows of a clarification as quick replies that start them", () => {
    const { result } = run(initialDialogState(), commands("the thing with my order", [{ command: "clarify", flows: ["order_status", "change_address"] }]), bot);
    expect(result.reply?.text).toBe("Did you mean one of these?");
    const choices = result.reply?.quickReplies ?? [];
    expect(choices).toHaveLength(2);
    for (const [choice, flow] of [
      [choices[0], "order_status"],
      [choices[1], "change_address"],
    ] as const) {
      const tapped = run(initialDialogState(), { kind: "text", text: choice ?? "", at: AT }, bot).state;
      expect(tapped.flows.at(-1)?.flow).toBe(flow);
    }
  });

  it("answers from knowledge when retrieval finds an entry, and asks the pending question again", () => {
    const { result } = run(askingSize, commands("and returns, how does that work", [{ command: "knowledge_answer" }]), bot);
    expect(types(result.events)).toContain("knowledge.answered");
    expect(result.reply?.text).toMatch(/return or exchange unworn shoes[\s\S]*What size do you need/);
  });

  it("with nothing accepted, answers exactly as the rules would have", () => {
    const text = "blorp zzz";
    const rules = step(initialDialogState(), { kind: "text", text, at: AT }, bot);
    const viaModel = step(initialDialogState(), commands(text, [], [{ command: { command: "pay" }, reason: 'unknown command "pay"' }]), bot);
    expect(viaModel.reply).toEqual(rules.reply);
    expect(types(viaModel.events)).toEqual([...types(rules.events).slice(0, 2), "llm.commands", ...types(rules.events).slice(2)]);
    const record = viaModel.events.find((e) => e.type === "llm.commands");
    expect(record).toMatchObject({ proposed: 1, accepted: [], dropped: 1, reasons: ['unknown command "pay"'] });
  });

  it("checks the commands again: an unvalidated one from the caller does nothing", () => {
    const { state } = run(askingSize, commands("x", [{ command: "set_slot", slot: "stock", value: 99 }]), bot);
    expect(state.slots.stock).toBeUndefined();
  });
});
