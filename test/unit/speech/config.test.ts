import { describe, expect, it } from "vitest";
import { SPEECH_DEFAULTS, speechConfigOf } from "../../../src/speech/config.js";

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
