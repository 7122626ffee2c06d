import { describe, expect, it } from "vitest";
import { initialDialogState, replaceScripted, step } from "../../../../src/dialog/index.js";
import { loadBot } from "../harness.js";
import { shopWithLlm, stateAfter } from "./llm-bot.js";

const bot = shopWithLlm();
const AT = 10_000;
const text = (message: string, at = AT) => ({ kind: "text" as const, text: message, at });

describe("a generation request (StepResult.generate)", () => {
  it("marks a knowledge answer, with the nearest entries in the user's language as grounding", () => {
    const result = step(initialDialogState(), text("几点关门？可以退货吗？"), bot);
    expect(result.generate).toMatchObject({ kind: "knowledge", lang: "zh", question: "几点关门？可以退货吗？" });
    expect(result.generate?.grounding.map((g) => g.id)).toEqual(["returns", "opening_hours", "payment"]);
    expect(result.generate?.grounding[1]).toEqual({
      id: "opening_hours",
      question: "你们几点关门",
      answer: "门店每天 10:00–21:00 营业（北京时间），在线客服全天为您服务。",
    });
    // the scripted part is exactly what the reply says for it: the caller replaces that part
    expect(result.reply?.text).toBe(result.generate?.scripted);
  });

  it("marks the fallback, with at most three entries and the message's sensitive values masked", () => {
    const result = step(initialDialogState(), text("when do you close and can I return shoes and do you deliver and what about socks, call 13987650123"), bot);
    expect(result.generate?.kind).toBe("fallback");
    expect(result.generate?.grounding).toHaveLength(3);
    expect(result.generate?.question).toContain("call ***0123");
    expect(result.reply?.text).toBe(result.generate?.scripted);
  });

  it("marks the scripted part only, when the reply holds more (a knowledge answer, then the pending question again)", () => {
    const result = step(stateAfter(bot, ["do you have running shoes"]), text("how do I return shoes?", AT), bot);
    expect(result.generate?.kind).toBe("knowledge");
    expect(result.reply?.text).toBe(`${result.generate?.scripted}\nWhat size do you need (EU 30–50)?`);
  });

  it("is absent without an llm section, and for the kinds llm.generate turns off", () => {
    const shop = loadBot("shop");
    expect(step(initialDialogState(), text("how do I return shoes?"), shop).generate).toBeUndefined();
    expect(step(initialDialogState(), text("blorp zzz"), shop).generate).toBeUndefined();
    const noKnowledge = shopWithLlm({ generate: { knowledge: false, fallback: true } });
    expect(step(initialDialogState(), text("how do I return shoes?"), noKnowledge).generate).toBeUndefined();
    expect(step(initialDialogState(), text("blorp zzz"), noKnowledge).generate?.kind).toBe("fallback");
  });

  it("leaves everything else of the step as it was without the llm section", () => {
    const shop = loadBot("shop");
    for (const message of ["how do I return shoes?", "blorp zzz", "do you have running shoes in 42"]) {
      const plain = step(initialDialogState(), text(message), shop);
      const withLlm = step(initialDialogState(), text(message), bot);
      expect(withLlm.events).toEqual(plain.events);
      expect(withLlm.reply).toEqual(plain.reply);
    }
  });

  it("lets the caller replace the scripted part alone, literally", () => {
    const result = step(stateAfter(bot, ["do you have running shoes"]), text("how do I return shoes?", AT), bot);
    if (!result.reply || !result.generate) throw new Error("expected a reply with a generation request");
    const replaced = replaceScripted(result.reply, result.generate, "30 days, costs $& nothing.");
    expect(replaced.text).toBe("30 days, costs $& nothing.\nWhat size do you need (EU 30–50)?");
  });
});
