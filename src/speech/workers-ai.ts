import type { WorkersAiSpeechConfig } from "./config.js";
import { base64Of, bytesOfBase64 } from "./media.js";
import type { AudioClip, SpeechProvider } from "./provider.js";
import { SpeechProviderError, asProviderError } from "./provider.js";

/**
 * The slice of the `AI` binding the adapter uses. Structural, so `src/` needs no runtime
 * import and the adapter stays a thin mapping of inputs and outputs.
 */
export interface AiRunner {
  run(model: string, inputs: Record<string, unknown>, options?: { returnRawResponse?: boolean }): Promise<unknown>;
}

/** Aura's default speaker when SPEECH_VOICE is not set. */
export const AURA_DEFAULT_SPEAKER = "asteria";

/**
 * Speech on Workers AI: Whisper for ASR, MeloTTS or Aura for TTS. Runs only on Cloudflare
 * (the binding is remote), so it is kept to input/output mapping; the flow around it is
 * tested through the OpenAI adapter.
 */
export function createWorkersAiSpeech(config: WorkersAiSpeechConfig, ai: AiRunner): SpeechProvider {
  const run = async (model: string, inputs: Record<string, unknown>, options?: { returnRawResponse: true }): Promise<unknown> => {
    try {
      return await ai.run(model, inputs, options);
    } catch (error) {
      throw asProviderError(error, `workers-ai ${model}`);
    }
  };

  return {
    name: "workers-ai",
    async transcribe(audio: AudioClip): Promise<string> {
      // whisper-large-v3-turbo takes base64; the original whisper models take a byte array.
      const input = config.asrModel.includes("large-v3-turbo")
        ? { audio: base64Of(audio.bytes), ...(config.language ? { language: config.language } : {}) }
        : { audio: Array.from(audio.bytes) };
      const output = (await run(config.asrModel, input)) as { text?: unknown } | null;
      if (typeof output?.text !== "string") throw new SpeechProviderError(`workers-ai ${config.asrModel} answered without a text`, { retryable: true });
      return output.text;
    },
    async synthesize(text: string): Promise<AudioClip> {
      if (config.ttsModel.includes("aura")) {
        const input = { text, speaker: config.voice ?? AURA_DEFAULT_SPEAKER, encoding: "mp3" };
        const response = (await run(config.ttsModel, input, { returnRawResponse: true })) as Response;
        if (!response.ok)
          throw new SpeechProviderError(`workers-ai ${config.ttsModel} answered ${response.status}`, { retryable: true, status: response.status });
        return { bytes: new Uint8Array(await response.arrayBuffer()), contentType: "audio/mpeg" };
      }
      const output = (await run(config.ttsModel, { prompt: text, lang: config.language ?? "en" })) as { audio?: unknown } | null;
      if (typeof output?.audio !== "string") throw new SpeechProviderError(`workers-ai ${config.ttsModel} answered without audio`, { retryable: true });
      return { bytes: bytesOfBase64(output.audio), contentType: "audio/mpeg" };
    },
  };
}
