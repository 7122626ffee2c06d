import { logEvent } from "../../platform/log.js";
import type { TraceContext } from "../../src/metrics/trace.js";
import type { TurnResult } from "../../src/protocol/messages.js";
import type { VoiceJobView, VoiceStatus } from "../../src/protocol/voice.js";
import { userAudioPrefix } from "../../src/speech/audio-keys.js";
import type { AsrStep, TtsStep, VoiceJob } from "../../src/speech/job.js";
import {
  BUSY_RETRY_AFTER_SECONDS,
  JOB_STALE_MS,
  MAX_JOBS_IN_FLIGHT,
  asrStepOf,
  isFinished,
  isStale,
  redriveStageOf,
  stageFailureMessage,
  transcriptText,
  ttsStepOf,
  voiceJobViewOf,
} from "../../src/speech/job.js";
import type { VoiceStage } from "../../src/speech/messages.js";
import { LazySchema } from "./lazy-schema.js";
import { COLUMNS, SCHEMA, addLaterColumns, jobOf } from "./voice-job-rows.js";

/** A voice turn's clientMessageId is this prefix and the job id: its dedupe key. */
export const VOICE_TURN_KEY_PREFIX = "voice-";

/** `{ type: "voice", … }` of docs/api.md: a job's status change, pushed to the user's sockets. */
export type VoiceStatusFrame = { type: "voice" } & Omit<VoiceJobView, "attempts" | "createdAt" | "updatedAt">;

/** What the jobs need from their actor. */
export interface VoiceJobsHost {
  /**
   * Runs the dialog turn of a transcript (dedupe by `clientMessageId`, like a text turn),
   * serialized with the actor's other turns and erasure; null when `stillWanted()` is false
   * by the time it runs (the conversation was erased while it waited).
   */
  voiceTurn(request: VoiceTurnRequest, stillWanted: () => boolean): Promise<TurnResult | null>;
  /** The transcript at rest until its turn commits: sealed like a message's sensitive text, and opened again for a retry. */
  sealTranscript(text: string): Promise<string>;
  openTranscript(stored: string): Promise<string>;
  /** The user message of the turn that ended at `seq`, as history shows it (sensitive spans masked). */
  shownUserText(seq: number): string | null;
  /** Pushes a frame to the user's live WebSockets; called on registration and on every status change. */
  broadcast(frame: VoiceStatusFrame): void;
}

/** The dialog turn of a job's transcript; `botVersion` is the job's (null: an old job, the user's current version). */
export interface VoiceTurnRequest {
  text: string;
  clientMessageId: string;
  botVersion: string | null;
  trace?: TraceContext;
}

export type RegisterOutcome = { ok: true; job: VoiceJobView } | { ok: false; inFlight: number; retryAfterSeconds: number };

export type RedriveOutcome =
  | { ok: true; stage: VoiceStage; run: number; job: VoiceJobView }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "not_failed"; status: VoiceStatus }
  | { ok: false; reason: "busy"; inFlight: number; retryAfterSeconds: number };

/** After the transcript: a TTS message is due, or nothing is (erased, finished, nothing heard). */
export type ReplyOutcome = { kind: "synthesize" } | { kind: "skip"; reason: string } | { kind: "failed"; error: string };

export type CompleteOutcome = "done" | "already" | "gone";

export interface FailureReport {
  stage: VoiceStage;
  /** `message.attempts` of the delivery that failed. */
  attempt: number;
  /** The run of the job the failed message belongs to (absent: the first); a report of an earlier run is dropped. */
  run?: number;
  /** The provider's error (logs only); absent when the dead-letter consumer reports. */
  error?: string;
  /** true: the job is given up (dead letter, or an error no retry can fix). */
  final: boolean;
}

/**
 * A user's voice jobs, in a `voice_jobs` table of their actor. Every transition is guarded
 * by the job's current stage, so the at-least-once deliveries of the queue consumers are
 * idempotent: a repeated delivery finds its stage done and moves on.
 */
export class VoiceJobs {
  private readonly tables: LazySchema;

  constructor(
    storage: SqlStorage,
    private readonly host: VoiceJobsHost,
    private readonly now: () => number = Date.now,
    private readonly staleMs = JOB_STALE_MS,
  ) {
    this.tables = new LazySchema(storage, SCHEMA, addLaterColumns);
  }

  /** The voice tables, created by the first job (most conversations never have one). */
  private get sql(): SqlStorage {
    return this.tables.sql();
  }

  /**
   * Registers a job on the bot version it will run on, unless the user already has
   * MAX_JOBS_IN_FLIGHT unfinished ones (backpressure).
   */
  register(job: { jobId: string; audioKey: string; audioType: string; botVersion: string }): RegisterOutcome {
    const now = this.now();
    const inFlight = this.expireStale(now);
    if (inFlight >= MAX_JOBS_IN_FLIGHT) return { ok: false, inFlight, retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS };
    this.sql.exec(
      "INSERT INTO voice_jobs (job_id, status, audio_key, audio_type, bot_version, created_at, updated_at) VALUES (?, 'queued', ?, ?, ?, ?, ?)",
      job.jobId,
      job.audioKey,
      job.audioType,
      job.botVersion,
      now,
      now,
    );
    const stored = this.require(job.jobId);
    this.notify(stored);
    return { ok: true, job: voiceJobViewOf(stored) };
  }

  /**
   * Puts a failed job back in line (its recording was kept for this), from the stage where it
   * stopped; the caller sends the message of that stage. Counts against the in-flight limit.
   */
  redrive(jobId: string): RedriveOutcome {
    const job = this.get(jobId);
    if (!job) return { ok: false, reason: "not_found" };
    const stage = redriveStageOf(job);
    if (stage === null) return { ok: false, reason: "not_failed", status: job.status };
    const inFlight = this.expireStale(this.now());
    if (inFlight >= MAX_JOBS_IN_FLIGHT) return { ok: false, reason: "busy", inFlight, retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS };
    const restart = stage === "asr" ? { status: "queued", asr_attempts: 0 } : { status: "synthesizing", tts_attempts: 0 };
    this.update(job, { ...restart, run: job.run + 1, error: null, last_error: null });
    return { ok: true, stage, run: job.run + 1, job: voiceJobViewOf(this.require(jobId)) };
  }

  /** Jobs not done or failed yet (erasure tells the metrics they wait on no queue any more). */
  unfinishedJobIds(): string[] {
    return this.unfinished().map((job) => job.jobId);
  }

  get(jobId: string): VoiceJob | null {
    const row = this.sql.exec("SELECT * FROM voice_jobs WHERE job_id = ?", jobId).toArray()[0];
    return row ? jobOf(row) : null;
  }

  /** What a delivery of `stage` should do; starting a stage records the attempt and the status. */
  step(jobId: string, stage: VoiceStage, attempt: number, run = 0): AsrStep | TtsStep {
    const job = this.get(jobId);
    if (stage === "asr") {
      const step = asrStepOf(job, run);
      if (job && step.kind === "transcribe") this.update(job, { status: "transcribing", asr_attempts: Math.max(job.asrAttempts, attempt) });
      return step;
    }
    const step = ttsStepOf(job, run);
    if (job && step.kind === "synthesize") this.update(job, { tts_attempts: Math.max(job.ttsAttempts, attempt) });
    return step;
  }

  /**
   * Stores the transcript (the first one wins) and runs the dialog turn on it. The turn's
   * clientMessageId is `voice-<jobId>`, so a redelivery gets the stored reply back rather
   * than a second one. Until the turn commits the transcript is kept sealed (it may hold a
   * phone number or an address); then it is replaced by the text the turn stored, sensitive
   * spans masked, which is all the job shows.
   */
  async reply(jobId: string, rawTranscript: string, trace?: TraceContext): Promise<ReplyOutcome> {
    const job = this.get(jobId);
    if (!job || isFinished(job.status)) return { kind: "skip", reason: job ? `job is ${job.status}` : "unknown job" };
    if (job.reply !== null) return { kind: "synthesize" };
    const transcript = job.transcript === null ? transcriptText(rawTranscript) : await this.host.openTranscript(job.transcript);
    if (transcript === null) {
      const error = "no speech was recognized in the recording";
      this.update(job, { status: "failed", error });
      return { kind: "failed", error };
    }
    if (job.transcript === null) await this.keepTranscript(jobId, transcript);
    const request = { text: transcript, clientMessageId: `${VOICE_TURN_KEY_PREFIX}${jobId}`, botVersion: job.botVersion, ...(trace ? { trace } : {}) };
    const result = await this.host.voiceTurn(request, () => this.get(jobId) !== null);
    const current = result === null ? null : this.get(jobId);
    if (result === null || current === null) return { kind: "skip", reason: "erased during the turn" };
    if (current.reply === null && !isFinished(current.status)) {
      const shown = this.host.shownUserText(result.seq) ?? "";
      this.update(current, { status: "synthesizing", transcript: shown, reply: result.reply.text, error: null });
    }
    return { kind: "synthesize" };
  }

  /** Stores the sealed transcript, unless another delivery stored one while this one sealed it. */
  private async keepTranscript(jobId: string, transcript: string): Promise<void> {
    const sealed = await this.host.sealTranscript(transcript);
    const job = this.get(jobId);
    if (job && job.transcript === null && !isFinished(job.status)) this.update(job, { status: "replying", transcript: sealed, error: null });
  }

  /** The reply audio is in R2. "gone": the job was erased meanwhile and the caller must delete the file. */
  complete(jobId: string, audio: { key: string; contentType: string }): CompleteOutcome {
    const job = this.get(jobId);
    if (!job) return "gone";
    if (job.status !== "synthesizing") return "already";
    this.update(job, { status: "done", reply_key: audio.key, reply_type: audio.contentType, error: null });
    return "done";
  }

  /** A failed delivery: remembered (attempts, last error); the job fails only when `final`. */
  failure(jobId: string, report: FailureReport): void {
    const job = this.get(jobId);
    if (!job || isFinished(job.status) || (report.run ?? 0) < job.run) return;
    const attempt = Math.max(report.stage === "asr" ? job.asrAttempts : job.ttsAttempts, report.attempt);
    const last_error = report.error ?? job.lastError;
    const changes = report.stage === "asr" ? { asr_attempts: attempt, last_error } : { tts_attempts: attempt, last_error };
    if (!report.final) return this.update(job, changes);
    this.update(job, { ...changes, status: "failed", error: stageFailureMessage(report.stage, attempt) });
    logEvent("warn", "voice job failed", { job: jobId, stage: report.stage, attempts: attempt, lastError: report.error ?? job.lastError });
  }

  /**
   * Fails, and tells the user of, every unfinished job that made no progress for the timeout —
   * one whose queue message was lost (the local runtime keeps its queues in memory, so a
   * crash of `wrangler dev` drops them): they must not block the user for ever. The recording
   * is kept, so the user can re-drive it. Answers how many jobs are still in flight.
   */
  expireStale(now: number): number {
    if (this.tables.sqlIfCreated("voice_jobs") === null) return 0;
    const unfinished = this.unfinished();
    const stale = unfinished.filter((job) => isStale(job, now, this.staleMs));
    for (const job of stale) this.update(job, { status: "failed", error: "the job timed out; the recording is kept and the job can be retried" });
    if (stale.length > 0) logEvent("warn", "voice jobs timed out", { jobs: stale.map((job) => job.jobId) });
    return unfinished.length - stale.length;
  }

  /** When the next unfinished job times out if nothing moves it on, or null with none unfinished. */
  nextTimeout(): number | null {
    // A conversation that never spoke has no table, and the alarm that asks must not create one.
    const sql = this.tables.sqlIfCreated("voice_jobs");
    if (sql === null) return null;
    const row = sql.exec<{ at: number | null }>("SELECT MIN(updated_at) AS at FROM voice_jobs WHERE status NOT IN ('done', 'failed')").toArray()[0];
    return row?.at === null || row?.at === undefined ? null : row.at + this.staleMs;
  }

  private unfinished(): VoiceJob[] {
    return this.sql.exec("SELECT * FROM voice_jobs WHERE status NOT IN ('done', 'failed')").toArray().map(jobOf);
  }

  /** Writes `changes`; the user's sockets hear of it when the status moved. */
  private update(job: VoiceJob, changes: Partial<Record<keyof typeof COLUMNS, SqlStorageValue>>): void {
    const entries = Object.entries(changes).filter(([column]) => column in COLUMNS);
    const assignments = entries.map(([column]) => `${column} = ?`).join(", ");
    this.sql.exec(`UPDATE voice_jobs SET ${assignments}, updated_at = ? WHERE job_id = ?`, ...entries.map(([, value]) => value), this.now(), job.jobId);
    if (changes.status !== undefined && changes.status !== job.status) this.notify(this.require(job.jobId));
  }

  private notify(job: VoiceJob): void {
    const { attempts: _attempts, createdAt: _created, updatedAt: _updated, ...view } = voiceJobViewOf(job);
    this.host.broadcast({ type: "voice", ...view });
  }

  private require(jobId: string): VoiceJob {
    const job = this.get(jobId);
    if (!job) throw new Error(`voice job ${jobId} vanished`);
    return job;
  }
}

/** Deletes every audio file of a user (recordings and replies): part of erasing their conversation. */
export async function eraseVoiceAudio(bucket: R2Bucket | undefined, userId: string): Promise<number> {
  if (!bucket) return 0;
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: userAudioPrefix(userId), ...(cursor ? { cursor } : {}) });
    const keys = page.objects.map((object) => object.key);
    if (keys.length > 0) await bucket.delete(keys);
    deleted += keys.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return deleted;
}
