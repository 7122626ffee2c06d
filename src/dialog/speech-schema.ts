import { z } from "zod";

/** A model or voice name as a provider spells it: `whisper-1`, `@cf/openai/whisper-large-v3-turbo`, `alloy`. */
const providerName = z.string().trim().min(1).max(200);

/**
 * What a bot version asks of speech: the models and the voice of its voice turns. Each
 * field overrides the Worker's var of the same name (SPEECH_ASR_MODEL, SPEECH_TTS_MODEL,
 * SPEECH_VOICE, SPEECH_LANGUAGE), which overrides the provider's default. The connection
 * (provider, base URL, key, format, timeout) is the deployment's, never a version's.
 * A voice job keeps the version it was registered on, so a canary's new model never
 * mixes with the old one inside one job (docs/voice.md).
 */
export const speechSchema = z
  .object({
    /** the recognition model (OpenAI `model` of /audio/transcriptions, or a Workers AI Whisper) */
    asrModel: providerName.optional(),
    /** the synthesis model (OpenAI `model` of /audio/speech, or MeloTTS / Aura on Workers AI) */
    ttsModel: providerName.optional(),
    /** OpenAI `voice`, or Aura's `speaker` */
    voice: providerName.optional(),
    /** ISO-639-1 hint for recognition, and MeloTTS's `lang` */
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/, 'an ISO 639 language code such as "en" or "zh"')
      .optional(),
  })
  .strict();

export type SpeechDef = z.infer<typeof speechSchema>;
