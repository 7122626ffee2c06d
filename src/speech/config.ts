import type { SpeechDef } from "../dialog/speech-schema.js";

/**
 * Speech settings, read from the Worker's vars and secrets (docs/voice.md has the table).
 * Pure: the shell passes the strings in, so every rule here is unit-tested in Node.
 */
export interface SpeechSettings {
  /** Voice turns: "openai" or "workers-ai"; unset, POST /v1/voice answers 503. */
  SPEECH_PROVIDER?: string;
  /** openai: the server's base URL, with or without /v1. */
  SPEECH_BASE_URL?: string;
  /** openai: the bearer key (a secret). */
  SPEECH_API_KEY?: string;
  SPEECH_ASR_MODEL?: string;
  SPEECH_TTS_MODEL?: string;
  SPEECH_VOICE?: string;
  SPEECH_LANGUAGE?: string;
  SPEECH_TTS_FORMAT?: string;
  SPEECH_TIMEOUT_MS?: string;
}

export type SpeechConfig = OpenAiSpeechConfig | WorkersAiSpeechConfig;

export interface OpenAiSpeechConfig {
  provider: "openai";
  /** Ends with `/v1`: the audio routes are appended to it. */
  baseUrl: string;
  apiKey: string | undefined;
  asrModel: string;
  ttsModel: string;
  voice: string;
  format: OpenAiAudioFormat;
  language: string | undefined;
  timeoutMs: number;
}

export interface WorkersAiSpeechConfig {
  provider: "workers-ai";
  asrModel: string;
  ttsModel: string;
  /** Aura's speaker; MeloTTS has none. */
  voice: string | undefined;
  language: string | undefined;
}

export type SpeechConfigResult = { ok: true; config: SpeechConfig } | { ok: false; reason: string };

export const OPENAI_AUDIO_FORMATS = ["mp3", "opus", "aac", "flac", "wav"] as const;
export type OpenAiAudioFormat = (typeof OPENAI_AUDIO_FORMATS)[number];

export const SPEECH_DEFAULTS = {
  openai: { asrModel: "whisper-1", ttsModel: "tts-1", voice: "alloy", format: "mp3" as OpenAiAudioFormat },
  "workers-ai": { asrModel: "@cf/openai/whisper", ttsModel: "@cf/myshell-ai/melotts" },
  timeoutMs: 30_000,
} as const;

export const SPEECH_SETUP_HINT =
  'set SPEECH_PROVIDER to "openai" (any OpenAI-compatible server: SPEECH_BASE_URL, SPEECH_API_KEY) ' +
  'or "workers-ai" (needs the [ai] binding); see docs/voice.md';

/**
 * Which provider the settings choose, or why voice is unavailable. `bot` is the `speech`
 * section of the bot version a job runs on: each of its fields wins over the var of the
 * same name, which wins over the provider's default (`withBotSpeech`).
 *
 * @example
 * speechConfigOf({ SPEECH_PROVIDER: "openai", SPEECH_BASE_URL: "http://127.0.0.1:8000" })
 * // { ok: true, config: { provider: "openai", baseUrl: "http://127.0.0.1:8000/v1", asrModel: "whisper-1", … } }
 */
export function speechConfigOf(vars: SpeechSettings, bot?: SpeechDef): SpeechConfigResult {
  const settings = bot === undefined ? vars : withBotSpeech(vars, bot);
  const provider = clean(settings.SPEECH_PROVIDER)?.toLowerCase();
  if (provider === undefined || provider === "none") return { ok: false, reason: `voice is not configured: ${SPEECH_SETUP_HINT}` };
  if (provider === "openai") return openAiConfigOf(settings);
  if (provider === "workers-ai") {
    const defaults = SPEECH_DEFAULTS["workers-ai"];
    return {
      ok: true,
      config: {
        provider,
        asrModel: clean(settings.SPEECH_ASR_MODEL) ?? defaults.asrModel,
        ttsModel: clean(settings.SPEECH_TTS_MODEL) ?? defaults.ttsModel,
        voice: clean(settings.SPEECH_VOICE),
        language: clean(settings.SPEECH_LANGUAGE),
      },
    };
  }
  return { ok: false, reason: `SPEECH_PROVIDER "${provider}" is not a provider: ${SPEECH_SETUP_HINT}` };
}

function openAiConfigOf(settings: SpeechSettings): SpeechConfigResult {
  const baseUrl = apiBaseOf(clean(settings.SPEECH_BASE_URL));
  if (baseUrl === null) {
    return { ok: false, reason: 'SPEECH_PROVIDER is "openai" but SPEECH_BASE_URL is not an http(s) URL (e.g. https://api.openai.com/v1)' };
  }
  const format = clean(settings.SPEECH_TTS_FORMAT)?.toLowerCase() ?? SPEECH_DEFAULTS.openai.format;
  if (!(OPENAI_AUDIO_FORMATS as readonly string[]).includes(format)) {
    return { ok: false, reason: `SPEECH_TTS_FORMAT must be one of ${OPENAI_AUDIO_FORMATS.join(", ")}` };
  }
  const timeoutMs = Number(clean(settings.SPEECH_TIMEOUT_MS) ?? SPEECH_DEFAULTS.timeoutMs);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return { ok: false, reason: "SPEECH_TIMEOUT_MS must be a positive integer" };
  const defaults = SPEECH_DEFAULTS.openai;
  return {
    ok: true,
    config: {
      provider: "openai",
      baseUrl,
      apiKey: clean(settings.SPEECH_API_KEY),
      asrModel: clean(settings.SPEECH_ASR_MODEL) ?? defaults.asrModel,
      ttsModel: clean(settings.SPEECH_TTS_MODEL) ?? defaults.ttsModel,
      voice: clean(settings.SPEECH_VOICE) ?? defaults.voice,
      format: format as OpenAiAudioFormat,
      language: clean(settings.SPEECH_LANGUAGE),
      timeoutMs,
    },
  };
}

/**
 * The precedence of a voice job's models and voice: the bot version's setting, else the
 * Worker's var, else (later, in `speechConfigOf`) the provider's default. The connection —
 * provider, base URL, key, format, timeout — always comes from the vars.
 *
 * @example
 * withBotSpeech({ SPEECH_ASR_MODEL: "whisper-1", SPEECH_VOICE: "alloy" }, { voice: "nova" })
 * // { SPEECH_ASR_MODEL: "whisper-1", SPEECH_VOICE: "nova", … }
 */
export function withBotSpeech(vars: SpeechSettings, bot: SpeechDef): SpeechSettings {
  return {
    SPEECH_PROVIDER: vars.SPEECH_PROVIDER,
    SPEECH_BASE_URL: vars.SPEECH_BASE_URL,
    SPEECH_API_KEY: vars.SPEECH_API_KEY,
    SPEECH_TTS_FORMAT: vars.SPEECH_TTS_FORMAT,
    SPEECH_TIMEOUT_MS: vars.SPEECH_TIMEOUT_MS,
    SPEECH_ASR_MODEL: clean(bot.asrModel) ?? vars.SPEECH_ASR_MODEL,
    SPEECH_TTS_MODEL: clean(bot.ttsModel) ?? vars.SPEECH_TTS_MODEL,
    SPEECH_VOICE: clean(bot.voice) ?? vars.SPEECH_VOICE,
    SPEECH_LANGUAGE: clean(bot.language) ?? vars.SPEECH_LANGUAGE,
  };
}

/** OpenAI clients take the base with `/v1`, local servers are often given without it: accept both. */
function apiBaseOf(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = path.endsWith("/v1") ? path : `${path}/v1`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

/** Unset and blank are the same: wrangler.toml vars cannot be deleted, only emptied. */
function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
