import { describe, expect, it } from "vitest";
import { SPEECH_DEFAULTS, speechConfigOf, withBotSpeech } from "../../../src/speech/config.js";

describe("speechConfigOf", () => {
  it("is unavailable without a provider, and says how to configure one", () => {
    for (const provider of [undefined, "", "  ", "none"]) {
      const result = speechConfigOf({ SPEECH_PROVIDER: provider });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/SPEECH_PROVIDER.*openai.*workers-ai.*docs\/voice\.md/);
    }
  });

  it("refuses an unknown provider by name", () => {
    const result = speechConfigOf({ SPEECH_PROVIDER: "acme" });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('"acme"') });
  });

  it("fills the OpenAI defaults and normalizes the base URL to end with /v1", () => {
    for (const base of ["http://127.0.0.1:8000", "http://127.0.0.1:8000/", "http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/v1/"]) {
      const result = speechConfigOf({ SPEECH_PROVIDER: "openai", SPEECH_BASE_URL: base });
      expect(result).toEqual({
        ok: true,
        config: {
          provider: "openai",
          baseUrl: "http://127.0.0.1:8000/v1",
          apiKey: undefined,
          asrModel: "whisper-1",
          ttsModel: "tts-1",
          voice: "alloy",
          format: "mp3",
          language: undefined,
          timeoutMs: SPEECH_DEFAULTS.timeoutMs,
        },
      });
    }
  });

  it("keeps a path prefix of a proxied server", () => {
    const result = speechConfigOf({ SPEECH_PROVIDER: "OpenAI", SPEECH_BASE_URL: "https://gateway.example/openai" });
    expect(result.ok && result.config.provider === "openai" && result.config.baseUrl).toBe("https://gateway.example/openai/v1");
  });

  it("takes every OpenAI setting", () => {
    const result = speechConfigOf({
      SPEECH_PROVIDER: "openai",
      SPEECH_BASE_URL: "https://api.openai.com/v1",
      SPEECH_API_KEY: "sk-1",
      SPEECH_ASR_MODEL: "gpt-4o-mini-transcribe",
      SPEECH_TTS_MODEL: "gpt-4o-mini-tts",
      SPEECH_VOICE: "nova",
      SPEECH_LANGUAGE: "de",
      SPEECH_TTS_FORMAT: "opus",
      SPEECH_TIMEOUT_MS: "5000",
    });
    expect(result).toMatchObject({
      ok: true,
      config: {
        apiKey: "sk-1",
        asrModel: "gpt-4o-mini-transcribe",
        ttsModel: "gpt-4o-mini-tts",
        voice: "nova",
        language: "de",
        format: "opus",
        timeoutMs: 5000,
      },
    });
  });

  it("refuses a missing or non-http base URL, a bad format and a bad timeout", () => {
    expect(speechConfigOf({ SPEECH_PROVIDER: "openai" }).ok).toBe(false);
    expect(speechConfigOf({ SPEECH_PROVIDER: "openai", SPEECH_BASE_URL: "not a url" }).ok).toBe(false);
    expect(speechConfigOf({ SPEECH_PROVIDER: "openai", SPEECH_BASE_URL: "ftp://x.example" }).ok).toBe(false);
    expect(speechConfigOf({ SPEECH_PROVIDER: "openai", SPEECH_BASE_URL: "http://x", SPEECH_TTS_FORMAT: "ogg" }).ok).toBe(false);
    expect(speechConfigOf({ SPEECH_PROVIDER: "openai", SPEECH_BASE_URL: "http://x", SPEECH_TIMEOUT_MS: "-1" }).ok).toBe(false);
  });

  it("fills the Workers AI defaults: Whisper and MeloTTS", () => {
    expect(speechConfigOf({ SPEECH_PROVIDER: "workers-ai" })).toEqual({
      ok: true,
      config: { provider: "workers-ai", asrModel: "@cf/openai/whisper", ttsModel: "@cf/myshell-ai/melotts", voice: undefined, language: undefined },
    });
    const aura = speechConfigOf({ SPEECH_PROVIDER: "workers-ai", SPEECH_TTS_MODEL: "@cf/deepgram/aura-1", SPEECH_VOICE: "luna" });
    expect(aura).toMatchObject({ ok: true, config: { ttsModel: "@cf/deepgram/aura-1", voice: "luna" } });
  });
});

describe("a bot version's speech settings over the vars over the defaults", () => {
  const openAi = { SPEECH_PROVIDER: "openai", SPEECH_BASE_URL: "https://api.openai.com/v1", SPEECH_API_KEY: "sk-1" };
  const vars = { ...openAi, SPEECH_ASR_MODEL: "whisper-1", SPEECH_TTS_MODEL: "tts-1", SPEECH_VOICE: "alloy", SPEECH_LANGUAGE: "en" };

  it("takes every field the version sets, over the var of the same name", () => {
    const result = speechConfigOf(vars, { asrModel: "gpt-4o-transcribe", ttsModel: "gpt-4o-mini-tts", voice: "nova", language: "zh" });
    expect(result).toMatchObject({ ok: true, config: { asrModel: "gpt-4o-transcribe", ttsModel: "gpt-4o-mini-tts", voice: "nova", language: "zh" } });
  });

  it("keeps the var for each field the version leaves out", () => {
    const result = speechConfigOf(vars, { voice: "nova" });
    expect(result).toMatchObject({ ok: true, config: { asrModel: "whisper-1", ttsModel: "tts-1", voice: "nova", language: "en" } });
  });

  it("falls back to the provider's default when neither the version nor the vars set a field", () => {
    expect(speechConfigOf(openAi, { asrModel: "gpt-4o-transcribe" })).toMatchObject({
      ok: true,
      config: { asrModel: "gpt-4o-transcribe", ttsModel: SPEECH_DEFAULTS.openai.ttsModel, voice: SPEECH_DEFAULTS.openai.voice, language: undefined },
    });
    expect(speechConfigOf({ SPEECH_PROVIDER: "workers-ai" }, { ttsModel: "@cf/deepgram/aura-1" })).toMatchObject({
      ok: true,
      config: { asrModel: SPEECH_DEFAULTS["workers-ai"].asrModel, ttsModel: "@cf/deepgram/aura-1", voice: undefined },
    });
  });

  it("answers exactly as before for a version without a speech section (an empty one, or none)", () => {
    expect(speechConfigOf(vars, {})).toEqual(speechConfigOf(vars));
    expect(speechConfigOf(vars, undefined)).toEqual(speechConfigOf(vars));
  });

  it("never takes the connection from the version: provider, URL, key, format and timeout stay the deployment's", () => {
    const settings = withBotSpeech({ ...vars, SPEECH_TTS_FORMAT: "opus", SPEECH_TIMEOUT_MS: "5000" }, { asrModel: "x" });
    expect(settings).toMatchObject({ ...openAi, SPEECH_TTS_FORMAT: "opus", SPEECH_TIMEOUT_MS: "5000", SPEECH_ASR_MODEL: "x" });
    // A version cannot turn voice on where the deployment has it off.
    expect(speechConfigOf({}, { asrModel: "whisper-1" }).ok).toBe(false);
  });

  it("treats a blank version field as unset, like a blank var", () => {
    expect(withBotSpeech(vars, { voice: "  " }).SPEECH_VOICE).toBe("alloy");
  });
});
