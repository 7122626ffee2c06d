import type { SpeechDef } from "../dialog/speech-schema.js";
import { TEXT_MAX } from "../protocol/messages.js";
import type { VoiceJobView, VoiceStatus } from "../protocol/voice.js";
import { voiceJobPath } from "../protocol/voice.js";
import { isSealed } from "../security/keyring.js";

/** A user with this many unfinished jobs gets 429 for the next one. */
export const MAX_JOBS_IN_FLIGHT = 3;
/** The Retry-After of that 429: about how long a voice turn takes. */
export const BUSY_RETRY_AFTER_SECONDS = 5;
/**
 * A job without progress for this long has been lost (a message dropped outside our
 * control): it is failed so that it stops counting against the user's limit. Well above the
 * longest retry schedule (max_retries × VOICE_RETRY_MAX_SECONDS).
 */
export const JOB_STALE_MS = 15 * 60_000;

/** One voice job as the user's actor stores it. */
export interface VoiceJob {
  jobId: string;
  status: VoiceStatus;
  /** The user's recording in R2. */
  audioKey: string;
  audioType: string;
  transcript: string | null;
  reply: string | null;
  /** The synthesized reply in R2, once `done`. */
  replyKey: string | null;
  replyType: string | null;
  /** Why the job failed, in words for the user. */
  error: string | null;
  /** The provider's last error, for logs only: it may name internal hosts. */
  lastError: string | null;
  asrAttempts: number;
  ttsAttempts: number;
  /**
   * The bot version the job runs on, fixed when it was registered: its speech settings serve
   * every stage, retry and redelivery. Null for a job registered before versions were
   * recorded: it follows the user's current version.
   */
  botVersion: string | null;
  /** 0 for the first run, one more for each re-drive: messages of an earlier run do nothing. */
  run: number;
  createdAt: number;
  updatedAt: number;
}

/** What the ASR consumer does with a delivery. */
export type AsrStep =
  | { kind: "transcribe"; audioKey: string; audioType: string; botVersion: string | null }
  /** The transcript is already known (an earlier delivery got that far): only the reply is left. */
  | { kind: "reply"; transcript: string }
  | { kind: "skip"; reason: string };

/** What the TTS consumer does with a delivery. */
export type TtsStep = { kind: "synthesize"; text: string; botVersion: string | null } | { kind: "skip"; reason: string };

/** The steps that call the provider. */
export type ProviderStep = Extract<AsrStep | TtsStep, { kind: "transcribe" | "synthesize" }>;

/**
 * A step as the actor hands it to a consumer: a provider call comes with the `speech` section
 * of the job's bot version (empty when that version has none) and the version it resolved to.
 */
export type VoiceOrder = Exclude<AsrStep | TtsStep, ProviderStep> | (ProviderStep & { botVersion: string; speech: SpeechDef });

export function isFinished(status: VoiceStatus): boolean {
  return status === "done" || status === "failed";
}

export function isStale(job: VoiceJob, now: number, staleMs = JOB_STALE_MS): boolean {
  return !isFinished(job.status) && now - job.updatedAt >= staleMs;
}

/** VOICE_JOB_TIMEOUT_SECONDS as milliseconds: how long a job may make no progress; the default when unset or invalid. */
export function jobTimeoutMsOf(setting: string | undefined): number {
  const seconds = Number(setting);
  return setting !== undefined && setting.trim() !== "" && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : JOB_STALE_MS;
}

/**
 * Where a failed job starts again when re-driven: at synthesis when the reply is known
 * (no second reply), else at transcription (the recording is kept for this).
 */
export function redriveStageOf(job: VoiceJob): "asr" | "tts" | null {
  if (job.status !== "failed") return null;
  return job.reply !== null ? "tts" : "asr";
}

/** Why a message of a job's earlier run (a late redelivery, once the job was re-driven) does nothing. */
export const EARLIER_RUN = "a message of an earlier run of the job (it was re-driven since)";

/**
 * The ASR step of a job. Idempotent by stage: once a transcript is stored, a redelivery
 * never asks the provider again, so there is never a second transcript.
 */
export function asrStepOf(job: VoiceJob | null, run = 0): AsrStep {
  if (job === null) return { kind: "skip", reason: "unknown job (erased?)" };
  if (run < job.run) return { kind: "skip", reason: EARLIER_RUN };
  if (isFinished(job.status)) return { kind: "skip", reason: `job is ${job.status}` };
  if (job.transcript !== null) return { kind: "reply", transcript: job.transcript };
  return { kind: "transcribe", audioKey: job.audioKey, audioType: job.audioType, botVersion: job.botVersion };
}

/** The TTS step of a job: only a job waiting for its audio is synthesized. */
export function ttsStepOf(job: VoiceJob | null, run = 0): TtsStep {
  if (job === null) return { kind: "skip", reason: "unknown job (erased?)" };
  if (run < job.run) return { kind: "skip", reason: EARLIER_RUN };
  if (job.status !== "synthesizing" || job.reply === null) return { kind: "skip", reason: `job is ${job.status}` };
  return { kind: "synthesize", text: job.reply, botVersion: job.botVersion };
}

/**
 * A provider's transcript as a user message: whitespace collapsed, cut at a word boundary
 * to what a text turn accepts. Null when nothing was recognized (silence, noise).
 */
export function transcriptText(raw: string): string | null {
  const text = raw.replace(/\s+/g, " ").trim();
  if (text.length === 0) return null;
  if (text.length <= TEXT_MAX) return text;
  const cut = text.slice(0, TEXT_MAX);
  const space = cut.lastIndexOf(" ");
  return space > TEXT_MAX / 2 ? cut.slice(0, space) : cut;
}

const STAGE_NAMES = { asr: "speech recognition", tts: "speech synthesis" } as const;

/** What the user is told when a stage gives up. */
export function stageFailureMessage(stage: keyof typeof STAGE_NAMES, attempts: number): string {
  return `${STAGE_NAMES[stage]} failed after ${attempts} attempt${attempts === 1 ? "" : "s"}; the recording is kept and the job can be retried`;
}

/** The API's view of a job (docs/api.md → `GET /v1/voice/:jobId`). */
export function voiceJobViewOf(job: VoiceJob): VoiceJobView {
  return {
    jobId: job.jobId,
    status: job.status,
    // A sealed transcript waits for its turn: it is shown once the turn stored it, masked.
    ...(job.transcript !== null && !isSealed(job.transcript) ? { transcript: job.transcript } : {}),
    ...(job.reply !== null ? { reply: job.reply } : {}),
    ...(job.status === "done" ? { audioUrl: `${voiceJobPath(job.jobId)}/audio` } : {}),
    ...(job.error !== null ? { error: job.error } : {}),
    attempts: { asr: job.asrAttempts, tts: job.ttsAttempts },
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}
