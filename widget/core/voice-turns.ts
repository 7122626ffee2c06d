import type { VoiceFrame } from "../../src/protocol/frames.js";
import type { VoiceJobView } from "../../src/protocol/voice.js";
import type { Microphone, Recording, VoiceApi } from "./voice.js";
import { VoiceTurnError, startRecording } from "./voice.js";

/** How a voice turn stopped short; each has a polite sentence in both languages (strings.ts). */
export type VoiceProblem = "blocked" | "microphone" | "busy" | "tooLong" | "notSent" | "notProcessed" | "notPlayed";

/** Where a turn is on its way to the server and back; `sending` is the upload, the rest are job statuses. */
export type VoiceStep = "sending" | "queued" | "transcribing" | "replying" | "synthesizing";

export type VoiceState =
  | { phase: "idle" }
  /** Asking for the microphone (the browser's permission prompt may be up). */
  | { phase: "starting" }
  | { phase: "recording" }
  | { phase: "working"; step: VoiceStep }
  | { phase: "problem"; problem: VoiceProblem };

/** Without a `voice` frame for this long (the socket may be down), the job is asked for over HTTP. */
export const VOICE_POLL_MS = 3_000;
/** A job still unfinished after this long is given up on (its reply still arrives in the chat if it ever comes). */
export const VOICE_GIVE_UP_MS = 180_000;
/** A recording is sent by itself after this long: a forgotten microphone does not stay on. */
export const MAX_RECORDING_MS = 60_000;

const STEPS: readonly VoiceStep[] = ["sending", "queued", "transcribing", "replying", "synthesizing"];

export interface VoiceTurnsOptions {
  api: Pick<VoiceApi, "send" | "job" | "audio">;
  microphone: Microphone;
  /** What MediaRecorder records in (see recordingTypeFor). */
  mimeType: string;
  /** Plays the spoken reply; rejects when the browser will not (autoplay policy, undecodable audio). */
  play(audio: Blob): Promise<void>;
  onChange(state: VoiceState): void;
  pollMs?: number;
  giveUpMs?: number;
  maxRecordingMs?: number;
}

interface FollowedJob {
  id: string;
  timer?: ReturnType<typeof setTimeout>;
  deadline: number;
}

/**
 * One voice turn at a time, driven by the microphone button: press to record, press again to
 * send, then follow the job to its spoken reply. The transcript and the text reply are not
 * handled here: they reach the chat as ordinary `message` frames. Progress comes from the
 * socket's `voice` frames; polling covers a socket that is down or a frame that was missed.
 */
export class VoiceTurns {
  private current: VoiceState = { phase: "idle" };
  private recording: Recording | null = null;
  private recordingTimer: ReturnType<typeof setTimeout> | undefined;
  private job: FollowedJob | null = null;
  /** Bumped by cancel(): a microphone that opens after the user gave up is closed again. */
  private attempt = 0;
  private stopped = false;

  constructor(private readonly options: VoiceTurnsOptions) {}

  get state(): VoiceState {
    return this.current;
  }

  /** The microphone button. Ignored while the microphone starts or a turn is under way. */
  async toggle(): Promise<void> {
    const phase = this.current.phase;
    if (phase === "recording") return this.send();
    if (phase === "idle" || phase === "problem") return this.record();
  }

  /** Drops a recording in progress unsent (the panel was closed); a turn already sent goes on. */
  cancel(): void {
    if (this.current.phase !== "recording" && this.current.phase !== "starting") return;
    this.attempt++;
    this.discardRecording();
    this.set({ phase: "idle" });
  }

  /** A `voice` frame from the chat socket. Frames of other jobs (another tab's) are not ours. */
  frame(frame: VoiceFrame): void {
    if (frame.jobId === this.job?.id) this.update(frame);
  }

  /** The widget is going away: the microphone is released and nothing more is fetched. */
  stop(): void {
    this.stopped = true;
    this.discardRecording();
    this.endJob();
  }

  private async record(): Promise<void> {
    this.set({ phase: "starting" });
    const attempt = ++this.attempt;
    let recording: Recording;
    try {
      recording = await startRecording(this.options.microphone, this.options.mimeType);
    } catch (error) {
      if (attempt === this.attempt) this.set({ phase: "problem", problem: microphoneProblem(error) });
      return;
    }
    if (this.stopped || attempt !== this.attempt) return void recording.stop().catch(() => undefined);
    this.recording = recording;
    this.recordingTimer = setTimeout(() => void this.send(), this.options.maxRecordingMs ?? MAX_RECORDING_MS);
    this.set({ phase: "recording" });
  }

  private async send(): Promise<void> {
    const recording = this.recording;
    if (!recording) return;
    this.recording = null;
    clearTimeout(this.recordingTimer);
    this.set({ phase: "working", step: "sending" });
    try {
      const jobId = await this.options.api.send(await recording.stop());
      if (!this.stopped) this.follow(jobId);
    } catch (error) {
      this.set({ phase: "problem", problem: sendProblem(error) });
    }
  }

  private follow(jobId: string): void {
    this.job = { id: jobId, deadline: Date.now() + (this.options.giveUpMs ?? VOICE_GIVE_UP_MS) };
    this.set({ phase: "working", step: "queued" });
    this.pollLater();
  }

  private update(job: Pick<VoiceJobView, "status" | "audioUrl" | "reply">): void {
    if (job.status === "done") return void this.finish(job);
    if (job.status === "failed") {
      this.endJob();
      // Only the speech failed when the reply is known: the answer is already in the chat as text.
      return this.set({ phase: "problem", problem: job.reply === undefined ? "notProcessed" : "notPlayed" });
    }
    // A poll answered late must not take the progress shown backwards.
    const shown = this.current.phase === "working" ? STEPS.indexOf(this.current.step) : -1;
    if (STEPS.indexOf(job.status) > shown) this.set({ phase: "working", step: job.status });
    this.pollLater();
  }

  private pollLater(): void {
    const job = this.job;
    if (!job) return;
    clearTimeout(job.timer);
    job.timer = setTimeout(() => void this.poll(job), this.options.pollMs ?? VOICE_POLL_MS);
  }

  private async poll(job: FollowedJob): Promise<void> {
    if (this.job !== job) return;
    if (Date.now() > job.deadline) {
      this.endJob();
      return this.set({ phase: "problem", problem: "notProcessed" });
    }
    try {
      const view = await this.options.api.job(job.id);
      if (this.job === job) this.update(view);
    } catch (error) {
      // The job is gone (the conversation was erased): nothing more will come. Anything else may pass.
      if (error instanceof VoiceTurnError && error.code === "not_found" && this.job === job) {
        this.endJob();
        return this.set({ phase: "problem", problem: "notProcessed" });
      }
      this.pollLater();
    }
  }

  /** Fetches and plays the spoken reply; runs once per job, whether a frame or a poll saw `done` first. */
  private async finish(job: Pick<VoiceJobView, "audioUrl">): Promise<void> {
    this.endJob();
    try {
      const audio = await this.options.api.audio(job);
      if (this.stopped) return;
      await this.options.play(audio);
      this.set({ phase: "idle" });
    } catch {
      this.set({ phase: "problem", problem: "notPlayed" });
    }
  }

  private endJob(): void {
    clearTimeout(this.job?.timer);
    this.job = null;
  }

  private discardRecording(): void {
    clearTimeout(this.recordingTimer);
    void this.recording?.stop().catch(() => undefined);
    this.recording = null;
  }

  private set(state: VoiceState): void {
    if (this.stopped) return;
    this.current = state;
    this.options.onChange(state);
  }
}

/** Permission refused (by the user, a policy or an insecure page) reads differently from a missing or busy device. */
function microphoneProblem(error: unknown): VoiceProblem {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "NotAllowedError" || name === "SecurityError" ? "blocked" : "microphone";
}

function sendProblem(error: unknown): VoiceProblem {
  if (!(error instanceof VoiceTurnError)) return "notSent";
  if (error.code === "rate_limited") return "busy";
  if (error.code === "payload_too_large") return "tooLong";
  return "notSent";
}
