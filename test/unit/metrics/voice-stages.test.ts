import { describe, expect, it } from "vitest";
import { MetricsDelta } from "../../../src/metrics/facts.js";
import { applyMove, mergeSummaries, stageOfStatus } from "../../../src/metrics/voice-stages.js";

describe("voice stages", () => {
  it("maps statuses to the queue a job waits on", () => {
    expect(["queued", "transcribing", "replying", "synthesizing", "done", "failed"].map((status) => stageOfStatus(status as never))).toEqual([
      "asr",
      "asr",
      "asr",
      "tts",
      null,
      null,
    ]);
  });

  it("keeps the time a job entered its stage, and never lets an older move override a newer one", () => {
    let position = applyMove(undefined, { jobId: "j", stage: "asr", at: 100 });
    position = applyMove(position, { jobId: "j", stage: "asr", at: 150 });
    expect(position).toEqual({ stage: "asr", since: 100, at: 150 });
    position = applyMove(position, { jobId: "j", stage: null, at: 300 });
    expect(applyMove(position, { jobId: "j", stage: "tts", at: 200 })).toEqual({ stage: null, since: 300, at: 300 });
  });

  it("merges shards: waiting jobs add up, the oldest is the oldest anywhere", () => {
    const merged = mergeSummaries([
      [{ stage: "asr", waiting: 2, oldestSince: 500 }],
      [
        { stage: "asr", waiting: 1, oldestSince: 300 },
        { stage: "tts", waiting: 1, oldestSince: 900 },
      ],
    ]);
    expect(merged).toEqual([
      { stage: "asr", waiting: 3, oldestSince: 300 },
      { stage: "tts", waiting: 1, oldestSince: 900 },
    ]);
  });

  it("turns voice facts into counters and stage moves", () => {
    const delta = new MetricsDelta();
    delta.record({ type: "voice.status", jobId: "j1", status: "queued", at: 10 });
    delta.record({ type: "voice.status", jobId: "j1", status: "synthesizing", at: 20 });
    delta.record({ type: "voice.gone", jobIds: ["j2"], at: 30 });
    delta.record({ type: "voice.retry", stage: "asr" });
    expect(delta.moves).toEqual([
      { jobId: "j1", stage: "asr", at: 10 },
      { jobId: "j1", stage: "tts", at: 20 },
      { jobId: "j2", stage: null, at: 30 },
    ]);
    expect(delta.metrics.total("parley_voice_jobs_total", { status: "queued" })).toBe(1);
    expect(delta.metrics.total("parley_voice_queue_retries_total", { stage: "asr" })).toBe(1);
  });
});
