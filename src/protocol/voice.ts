import { z } from "zod";

/** A voice body above this is refused with 413 before anything is stored. */
export const VOICE_MAX_BYTES = 5 * 1024 * 1024;

/**
 * The audio types a voice turn accepts. Browsers' MediaRecorder produces webm or ogg
 * (`audio/webm;codecs=opus`): parameters after `;` are ignored.
 */
export const VOICE_CONTENT_TYPES = ["audio/wav", "audio/webm", "audio/ogg", "audio/mpeg"] as const;
export type VoiceContentType = (typeof VOICE_CONTENT_TYPES)[number];

/** Common spellings of the same formats, so `curl --data-binary @x.wav` with a guessed type still works. */
const ALIASES: Readonly<Record<string, VoiceContentType>> = {
  "audio/x-wav": "audio/wav",
  "audio/wave": "audio/wav",
  "audio/vnd.wave": "audio/wav",
  "audio/mp3": "audio/mpeg",
};

/** The accepted audio type a `content-type` header names, or null. */
export function voiceContentTypeOf(header: string | null | undefined): VoiceContentType | null {
  const type = header?.split(";")[0]?.trim().toLowerCase() ?? "";
  if ((VOICE_CONTENT_TYPES as readonly string[]).includes(type)) return type as VoiceContentType;
  return ALIASES[type] ?? null;
}

/** `GET /v1/voice`: whether voice turns can be sent here, and their limits (a client shows its microphone on `available`). */
export const voiceCapabilitiesSchema = z.object({
  available: z.boolean().describe("false until a speech provider is configured: POST /v1/voice would answer 503"),
  maxBytes: z.number().int(),
  contentTypes: z.array(z.string()),
  maxJobsInFlight: z.number().int(),
});
export type VoiceCapabilities = z.infer<typeof voiceCapabilitiesSchema>;

/** The order a job moves through; `failed` can follow any stage before `done`. */
export const VOICE_STATUSES = ["queued", "transcribing", "replying", "synthesizing", "done", "failed"] as const;
export const voiceStatusSchema = z.enum(VOICE_STATUSES);
export type VoiceStatus = z.infer<typeof voiceStatusSchema>;

/** Job ids are UUIDs minted by the gateway: anything else cannot name a job. */
export const voiceJobIdSchema = z.uuid().describe("the id `POST /v1/voice` answered with");

export const voiceJobParamsSchema = z.object({ jobId: voiceJobIdSchema });

export const voiceAcceptedSchema = z.object({
  jobId: voiceJobIdSchema,
  status: z.literal("queued"),
  statusUrl: z.string().describe("where to poll the job"),
});
export type VoiceAccepted = z.infer<typeof voiceAcceptedSchema>;

export const voiceRetriedSchema = z.object({
  jobId: voiceJobIdSchema,
  status: voiceStatusSchema.describe("`queued`, or `synthesizing` when only the spoken reply was missing"),
  statusUrl: z.string(),
});

export const voiceAttemptsSchema = z
  .object({
    asr: z.number().int().min(0).describe("deliveries of the transcription step so far"),
    tts: z.number().int().min(0).describe("deliveries of the synthesis step so far"),
  })
  .describe("how often each step was tried: more than 1 means the provider failed and the step was retried");

export const voiceJobViewSchema = z.object({
  jobId: voiceJobIdSchema,
  status: voiceStatusSchema,
  transcript: z.string().optional().describe("what the user said, once recognized"),
  reply: z.string().optional().describe("the bot's answer, once the dialog turn ran"),
  audioUrl: z.string().optional().describe("the spoken reply, once `done`"),
  error: z.string().optional().describe("why the job failed"),
  attempts: voiceAttemptsSchema,
  createdAt: z.number().int().describe("epoch milliseconds"),
  updatedAt: z.number().int().describe("epoch milliseconds"),
});
export type VoiceJobView = z.infer<typeof voiceJobViewSchema>;

/** The status path of a job: `statusUrl` of the 202, and the base of `audioUrl`. */
export function voiceJobPath(jobId: string): string {
  return `/v1/voice/${jobId}`;
}
