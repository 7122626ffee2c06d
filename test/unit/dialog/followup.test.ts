import { describe, expect, it } from "vitest";
import type { DialogEvent } from "../../../src/dialog/index.js";
import { applyDialogEvent, initialDialogState, validateBotDefinition } from "../../../src/dialog/index.js";
import { converse, loadBot } from "./harness.js";

const bot = loadBot("shop");
const START = Date.UTC(2026, 2, 1, 9);

/** Plays `script` ten seconds apart; returns every event and the final state. */
function play(script: readonly string[]) {
  let state = initialDialogState();
  const log: DialogEvent[] = [];
  script.forEach((text, i) => {
    const out = converse(state, bot, text, START + (i + 1) * 10_000);
    log.push(...out.events);
    state = out.state;
  });
  return { state, log };
}

describe("follow-ups, corrections and pre-answered questions", () => {
  it("state = fold(events) with follow-ups, corrections and a confirmation in the log", () => {
    const { state, log } = play([
      "running shoes in size 42?",
      "what about 40?",
      "no, 41",
      "我要改地址，新地址是北京市朝阳区建国路88号，电话 13912345678",
      "不是，电话是13700001234",
      "好的",
      "I want to enter the lottery",
    ]);
    const types = new Set(log.map((e) => e.type));
    for (const type of ["followup.armed", "followup.taken", "slot.corrected", "ask.preanswered"]) expect(types).toContain(type);
    expect(JSON.parse(JSON.stringify(log.reduce(applyDialogEvent, initialDialogState())))).toEqual(JSON.parse(JSON.stringify(state)));
  });

  it("counts the messages since the task finished and forgets it once resumed", () => {
    let state = applyDialogEvent(initialDialogState(), { type: "followup.armed", v: 1, at: 5, flow: "check_stock" });
    state = applyDialogEvent(state, { type: "nlu.parsed", v: 1, at: 6, intent: null, confidence: 0, alternatives: [], entities: {}, lang: "en" });
    expect(state.memory.followUp).toEqual({ flow: "check_stock", at: 5, turns: 1 });
    state = applyDialogEvent(state, { type: "followup.taken", v: 1, at: 7, flow: "check_stock", slots: ["size"] });
    expect(state.memory).not.toHaveProperty("followUp");
  });

  it("never records a sensitive value in a correction event", () => {
    const { log } = play(["我要改地址，新地址是北京市朝阳区建国路88号，电话 13912345678", "不对，手机号是13700001234"]);
    const corrected = log.filter((e) => e.type === "slot.corrected");
    expect(corrected).toEqual([expect.objectContaining({ name: "phone", flow: "change_address", step: 0 })]);
    expect(JSON.stringify(corrected)).not.toContain("13700001234");
  });

  it("a bare number with no task to resume is not a follow-up", () => {
    const { log } = play(["hello", "40"]);
    expect(log.map((e) => e.type)).not.toContain("followup.taken");
  });
});

describe("definition options", () => {
  const def = () => structuredClone(bot.definition);

  it("rejects a followUp with neither turns nor seconds", () => {
    const broken = def();
    Object.assign(broken.flows.check_stock!, { followUp: {} });
    const result = validateBotDefinition(broken);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.path).toBe("flows.check_stock.followUp");
  });

  it("rejects a startAnswer without a value", () => {
    const broken = def();
    Object.assign(broken.flows.lottery!.steps[2]!, { startAnswer: { phrases: ["enter"] } });
    expect(validateBotDefinition(broken).ok).toBe(false);
  });
});
