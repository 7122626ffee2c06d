import { errorDetail } from "../openai/error-detail.js";
import type { OpenAiSpeechConfig } from "./config.js";
import { contentTypeOfFormat, extensionOf } from "./media.js";
import type { AudioClip, SpeechProvider } from "./provider.js";
import { SpeechProviderError, asProviderError, isRetryableStatus } from "./provider.js";

/** The slice of `fetch` the adapter needs: tests pass a fake, the Worker passes the global. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** OpenAI's `/v1/audio/speech` refuses longer input; a bot reply is far shorter. */
export const TTS_INPUT_MAX = 4096;

/**
 * Speech through any server that speaks OpenAI's audio API: `POST /v1/audio/transcriptions`
 * (multipart, answers `{ text }`) and `POST /v1/audio/speech` (JSON, answers audio bytes).
 * OpenAI itself, or a self-hosted one (faster-whisper-server, LocalAI, Speaches…).
 */
export function createOpenAiSpeech(config: OpenAiSpeechConfig, fetcher: FetchLike): SpeechProvider {
  const call = async (route: string, body: BodyInit, contentType?: string): Promise<Response> => {
    const headers: Record<string, string> = contentType ? { "content-type": contentType } : {};
    if (config.apiKey) headers["authorization"] = `Bearer ${config.apiKey}`;
    let response: Response;
    try {
      response = await fetcher(`${config.baseUrl}${route}`, { method: "POST", headers, body, signal: AbortSignal.timeout(config.timeoutMs) });
    } catch (error) {
      throw asProviderError(error, `openai ${route}`);
    }
    if (!response.ok) {
      const detail = await errorDetail(response);
      throw new SpeechProviderError(`openai ${route} answered ${response.status}${detail}`, {
        retryable: isRetryableStatus(response.status),
        status: response.status,
      });
    }
    return response;
  };

  return {
    name: "openai",
    async transcribe(audio: AudioClip): Promise<string> {
      const form = new FormData();
      form.append("file", new Blob([audio.bytes], { type: audio.contentType }), `speech.${extensionOf(audio.contentType)}`);
      form.append("model", config.asrModel);
      form.append("response_format", "json");
      if (config.language) form.append("language", config.language);
      const response = await call("/audio/transcriptions", form);
      const body: unknown = await response.json().catch(() => null);
      const text = (body as { text?: unknown } | null)?.text;
      if (typeof text !== "string") throw new SpeechProviderError("openai /audio/transcriptions answered without a text", { retryable: true });
      return text;
    },
    async synthesize(text: string): Promise<AudioClip> {
      const input = text.slice(0, TTS_INPUT_MAX);
      const body = JSON.stringify({ model: config.ttsModel, input, voice: config.voice, response_format: config.format });
      const response = await call("/audio/speech", body, "application/json");
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length === 0) throw new SpeechProviderError("openai /audio/speech answered an empty body", { retryable: true });
      const declared = response.headers.get("content-type") ?? "";
      return { bytes, contentType: declared.startsWith("audio/") ? declared : contentTypeOfFormat(config.format) };
    },
  };
}
