import type { VoiceJobs } from "./voice-jobs.js";

/**
 * A voice job that makes no progress for VOICE_JOB_TIMEOUT_SECONDS is failed and the user told,
 * so that it can be re-driven: its queue message may be gone (the local runtime keeps its queues
 * in memory, and a crash of `wrangler dev` drops them). The actor's alarm rings for the next
 * timeout; it is shared with the snapshots, so it is only ever moved earlier here.
 */
export class VoiceTimeouts {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly voice: () => VoiceJobs,
    private readonly now: () => number = Date.now,
  ) {}

  /** After a job was registered or re-driven, and after every alarm: the alarm rings by the next timeout. */
  async arm(): Promise<void> {
    const due = this.voice().nextTimeout();
    if (due === null) return;
    const set = await this.storage.getAlarm();
    if (set === null || set > due) await this.storage.setAlarm(Math.max(due, this.now()));
  }

  /** The alarm rang: jobs past their timeout fail, and the next timeout is armed. */
  async ring(): Promise<void> {
    this.voice().expireStale(this.now());
    await this.arm();
  }
}
