import { z } from "zod";
import type { TraceContext } from "../metrics/trace.js";

/**
 * Queue names, as in wrangler.toml: the consumer tells its batches apart by `batch.queue`.
 * One dead-letter queue serves both stages; its messages say which stage gave up.
 */
export const VOICE_QUEUES = {
  asr: "parley-voice-asr",
  tts: "parley-voice-tts",
  dead: "parley-voice-dead",
} as const;

export type VoiceQueue = keyof typeof VOICE_QUEUES;

export function voiceQueueOf(queueName: string): VoiceQueue | null {
  for (const [kind, name] of Object.entries(VOICE_QUEUES)) if (name === queueName) return kind as VoiceQueue;
  return null;
}

/**
 * A message on the ASR or TTS queue. Small on purpose (Queues caps a message at 128 KB):
 * the audio stays in R2 and the job in the user's actor; the message only names them.
 */
export const voiceMessageSchema = z.strictObject({
  v: z.literal(1),
  stage: z.enum(["asr", "tts"]),
  userId: z.string().min(1),
  jobId: z.string().min(1),
  /**
   * Which run of the job the message belongs to: 0 the first, one more for each re-drive
   * (`POST /v1/voice/:jobId/retry`). A late or repeated message of an earlier run does nothing
   * (above all a dead letter, which would fail the re-driven job). Absent in older messages: 0.
   */
  run: z.number().int().min(0).optional(),
  /** W3C trace context of the request that started the job (baggage holds the user's hash only). */
  trace: z
    .strictObject({
      traceparent: z.string().regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/),
      baggage: z.string().max(512).optional(),
    })
    .optional(),
});

export type VoiceMessage = z.infer<typeof voiceMessageSchema>;
export type VoiceStage = VoiceMessage["stage"];

export function voiceMessage(stage: VoiceStage, userId: string, jobId: string, trace?: TraceContext, run = 0): VoiceMessage {
  return { v: 1, stage, userId, jobId, ...(run > 0 ? { run } : {}), ...(trace ? { trace } : {}) };
}

/** The run a message belongs to (absent: the first). */
export function runOf(message: VoiceMessage): number {
  return message.run ?? 0;
}
