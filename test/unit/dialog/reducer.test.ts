import { describe, expect, it } from "vitest";
import type { DialogEvent, DialogState } from "../../../src/dialog/index.js";
import { activeFlow, applyDialogEvent, initialDialogState, step } from "../../../src/dialog/index.js";
import { converse, loadBot } from "./harness.js";

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const bot = loadBot("shop");
const script = ["hi", "change address", "do you have canvas shoes in 38?", "13700001234", "lottery", "yes", "where is my order AB123456", "bye"];

describe("applyDialogEvent and step", () => {
  it("never mutate their input (frozen states all the way)", () => {
    let state: DialogState = deepFreeze(initialDialogState());
    let at = Date.UTC(2026, 0, 1);
    for (const text of script) {
      at += 5000;
      const out = converse(state, bot, text, at);
      state = deepFreeze(out.state);
    }
    expect(activeFlow(state)).toBe("change_address");
  });

  it("state = fold(events): replaying the log rebuilds the same state", () => {
    let state = initialDialogState();
    const log: DialogEvent[] = [];
    let at = Date.UTC(2026, 0, 1);
    for (const text of script) {
      at += 5000;
      const out = converse(state, bot, text, at);
      log.push(...out.events);
      state = out.state;
    }
    expect(JSON.parse(JSON.stringify(log.reduce(applyDialogEvent, initialDialogState())))).toEqual(JSON.parse(JSON.stringify(state)));
  });

  it("ignores an action result nobody waits for", () => {
    const result = step(initialDialogState(), { kind: "action-result", callId: "c99", ok: true, result: null, at: 1 }, bot);
    expect(result).toEqual({ events: [], reply: null });
  });

  it("is deterministic: same state and input, same events", () => {
    const input = { kind: "text" as const, text: "我要抽奖", at: 1_000 };
    expect(step(initialDialogState(), input, bot)).toEqual(step(initialDialogState(), input, bot));
  });
});
