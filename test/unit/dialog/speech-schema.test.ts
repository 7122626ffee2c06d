import { describe, expect, it } from "vitest";
import { validateBotDefinition } from "../../../src/dialog/index.js";
import { loadBot } from "./harness.js";

const shop = loadBot("shop").definition;
const withSpeech = (speech: unknown): unknown => ({ ...structuredClone(shop), speech });

describe("the speech section of a bot definition", () => {
  it("is optional: a bot without one is valid and has none", () => {
    const checked = validateBotDefinition(shop);
    expect(checked.ok && checked.bot.speech).toBeUndefined();
  });

  it("takes the models, the voice and the language, trimmed", () => {
    const checked = validateBotDefinition(withSpeech({ asrModel: " gpt-4o-transcribe ", ttsModel: "@cf/deepgram/aura-1", voice: "luna", language: "zh" }));
    expect(checked.ok && checked.bot.speech).toEqual({ asrModel: "gpt-4o-transcribe", ttsModel: "@cf/deepgram/aura-1", voice: "luna", language: "zh" });
  });

  it.each([
    ["the connection, which is the deployment's", { baseUrl: "https://evil.example/v1" }, "speech"],
    ["a blank model", { asrModel: "   " }, "speech.asrModel"],
    ["a language that is not a code", { language: "English" }, "speech.language"],
    ["a voice that is not a string", { voice: 7 }, "speech.voice"],
  ])("refuses %s", (_what, speech, path) => {
    const checked = validateBotDefinition(withSpeech(speech));
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.path).toBe(path);
  });
});
