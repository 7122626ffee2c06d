import type { VoiceStatus } from "../protocol/voice.js";

/**
 * Which queue a voice job waits on: its ASR message is unsettled from `queued` until the
 * dialog turn on the transcript is done (`transcribing`, `replying` run inside that
 * delivery), its TTS message while `synthesizing`. Finished jobs wait on nothing.
 */
export const VOICE_QUEUE_STAGES = ["asr", "tts"] as const;
export type VoiceQueueStage = (typeof VOICE_QUEUE_STAGES)[number];

export function stageOfStatus(status: VoiceStatus): VoiceQueueStage | null {
  if (status === "queued" || status === "transcribing" || status === "replying") return "asr";
  if (status === "synthesizing") return "tts";
  return null;
}

/** A job changed stage at `at` (its actor's clock); `stage: null` means it finished. */
export interface StageMove {
  jobId: string;
  stage: VoiceQueueStage | null;
  at: number;
}

/** Where a shard believes a job is: the stage, since when, and the time of the move that said so. */
export interface StagePosition {
  stage: VoiceQueueStage | null;
  since: number;
  at: number;
}

/**
 * The position after a move. Moves of one job can reach a shard out of order (two isolates
 * flushing), so an older move never overrides a newer one; staying in the same stage keeps
 * the time the job entered it.
 */
export function applyMove(current: StagePosition | undefined, move: StageMove): StagePosition {
  if (current && move.at < current.at) return current;
  if (current && current.stage === move.stage) return { ...current, at: move.at };
  return { stage: move.stage, since: move.at, at: move.at };
}

/** Backlog and lag of one stage: how many jobs wait, and since when the oldest does. */
export interface StageSummary {
  stage: VoiceQueueStage;
  waiting: number;
  oldestSince: number | null;
}

export function emptySummaries(): StageSummary[] {
  return VOICE_QUEUE_STAGES.map((stage) => ({ stage, waiting: 0, oldestSince: null }));
}

/** Shards' summaries added up: waiting jobs sum, the oldest is the oldest anywhere. */
export function mergeSummaries(parts: Iterable<readonly StageSummary[]>): StageSummary[] {
  const merged = emptySummaries();
  for (const part of parts) {
    for (const summary of part) {
      const into = merged.find((item) => item.stage === summary.stage);
      if (!into) continue;
      into.waiting += summary.waiting;
      if (summary.oldestSince !== null) into.oldestSince = into.oldestSince === null ? summary.oldestSince : Math.min(into.oldestSince, summary.oldestSince);
    }
  }
  return merged;
}
