import { describe, expect, it } from "vitest";
import { validateBotDefinition } from "../../../../src/dialog/index.js";
import { loadBot } from "../harness.js";
import { shopWithLlm } from "./llm-bot.js";

describe("the llm section of a bot", () => {
  it("is optional: the bundled shop bot has none", () => {
    expect(loadBot("shop").definition.llm).toBeUndefined();
  });

  it("fills in its defaults", () => {
    const llm = shopWithLlm().definition.llm;
    expect(llm).toMatchObject({
      provider: "openai-compatible",
      model: "test-model",
      temperature: 0.2,
      understand: true,
      generate: { knowledge: true, fallback: true },
      recentTurns: 6,
      maxReplyChars: 600,
      bannedPhrases: [],
      allowedHosts: [],
      limits: { tokensPerUserPerDay: 20000, concurrentPerBot: 20, firstTokenMs: 3000, totalMs: 15000 },
    });
    expect(llm?.budgetExceeded).toMatchObject({ en: expect.any(String), zh: expect.any(String) });
  });

  it("refuses a temperature out of range, an unknown provider, a missing prompt, an unknown key", () => {
    const shop = loadBot("shop").definition;
    const withLlm = (llm: object) => validateBotDefinition({ ...shop, llm });
    const prompts = { system: "Be nice." };
    expect(withLlm({ model: "m", prompts, temperature: 3 })).toMatchObject({ ok: false, path: "llm.temperature" });
    expect(withLlm({ model: "m", prompts, provider: "anthropic" })).toMatchObject({ ok: false, path: "llm.provider" });
    expect(withLlm({ model: "m" })).toMatchObject({ ok: false, path: "llm.prompts" });
    expect(withLlm({ model: "m", prompts, tools: [] })).toMatchObject({ ok: false });
    expect(withLlm({ model: "m", prompts, limits: { totalMs: 5000 } })).toMatchObject({ ok: true });
  });
});
