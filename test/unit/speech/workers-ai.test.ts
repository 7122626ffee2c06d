import { describe, expect, it } from "vitest";
import type { WorkersAiSpeechConfig } from "../../../src/speech/config.js";
import { base64Of } from "../../../src/speech/media.js";
import type { AiRunner } from "../../../src/speech/workers-ai.js";
import { createWorkersAiSpeech } from "../../../src/speech/workers-ai.js";

const config: WorkersAiSpeechConfig = {
  provider: "workers-ai",
  asrModel: "@cf/openai/whisper",
  ttsModel: "@cf/myshell-ai/melotts",
  voice: undefined,
  language: undefined,
};

function fakeAi(answer: unknown): { ai: AiRunner; calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    ai: {
      run: async (...args) => {
        calls.push(args);
        if (answer instanceof Error) throw answer;
        return answer;
      },
    },
  };
}

const clip = { bytes: new Uint8Array([0, 127, 255]), contentType: "audio/wav" };

describe("Workers AI speech (the mapping only: the binding runs remotely)", () => {
  it("sends Whisper the audio as a byte array", async () => {
    const fake = fakeAi({ text: "hi" });
    expect(await createWorkersAiSpeech(config, fake.ai).transcribe(clip)).toBe("hi");
    expect(fake.calls[0]).toEqual(["@cf/openai/whisper", { audio: [0, 127, 255] }, undefined]);
  });

  it("sends whisper-large-v3-turbo base64 and the language", async () => {
    const fake = fakeAi({ text: "hallo" });
    const turbo = { ...config, asrModel: "@cf/openai/whisper-large-v3-turbo", language: "de" };
    await createWorkersAiSpeech(turbo, fake.ai).transcribe(clip);
    expect(fake.calls[0]?.[1]).toEqual({ audio: base64Of(clip.bytes), language: "de" });
  });

  it("decodes MeloTTS's base64 MP3", async () => {
    const fake = fakeAi({ audio: base64Of(new Uint8Array([1, 2])) });
    expect(await createWorkersAiSpeech({ ...config, language: "fr" }, fake.ai).synthesize("Bonjour")).toEqual({
      bytes: new Uint8Array([1, 2]),
      contentType: "audio/mpeg",
    });
    expect(fake.calls[0]).toEqual(["@cf/myshell-ai/melotts", { prompt: "Bonjour", lang: "fr" }, undefined]);
  });

  it("asks Aura for the raw MP3 with the configured speaker", async () => {
    const fake = fakeAi(new Response(new Uint8Array([5])));
    const aura = { ...config, ttsModel: "@cf/deepgram/aura-1", voice: "luna" };
    expect((await createWorkersAiSpeech(aura, fake.ai).synthesize("Hi")).bytes).toEqual(new Uint8Array([5]));
    expect(fake.calls[0]).toEqual(["@cf/deepgram/aura-1", { text: "Hi", speaker: "luna", encoding: "mp3" }, { returnRawResponse: true }]);
  });

  it("reports binding errors and odd answers as retryable provider errors", async () => {
    await expect(createWorkersAiSpeech(config, fakeAi(new Error("3040: Capacity temporarily exceeded")).ai).transcribe(clip)).rejects.toMatchObject({
      name: "SpeechProviderError",
      retryable: true,
      message: expect.stringContaining("Capacity"),
    });
    await expect(createWorkersAiSpeech(config, fakeAi({}).ai).synthesize("x")).rejects.toMatchObject({ retryable: true });
  });
});
