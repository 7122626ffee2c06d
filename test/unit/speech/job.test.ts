import { describe, expect, it } from "vitest";
import { TEXT_MAX } from "../../../src/protocol/messages.js";
import type { VoiceJob } from "../../../src/speech/job.js";
import {
  EARLIER_RUN,
  JOB_STALE_MS,
  asrStepOf,
  isStale,
  jobTimeoutMsOf,
  redriveStageOf,
  stageFailureMessage,
  transcriptText,
  ttsStepOf,
  voiceJobViewOf,
} from "../../../src/speech/job.js";

const job = (overrides: Partial<VoiceJob> = {}): VoiceJob => ({
  jobId: "0b5a3f4e-8d0c-4a53-9d43-6f7f7b0e1c2d",
  status: "queued",
  audioKey: "voice/u/j/input",
  audioType: "audio/webm",
  transcript: null,
  reply: null,
  replyKey: null,
  replyType: null,
  error: null,
  lastError: null,
  asrAttempts: 0,
  ttsAttempts: 0,
  botVersion: "2",
  run: 0,
  createdAt: 1000,
  updatedAt: 1000,
  ...overrides,
});

describe("voice job steps: idempotent by stage", () => {
  it("transcribes only while no transcript is stored", () => {
    expect(asrStepOf(job())).toEqual({ kind: "transcribe", audioKey: "voice/u/j/input", audioType: "audio/webm", botVersion: "2" });
    expect(asrStepOf(job({ status: "transcribing" }))).toMatchObject({ kind: "transcribe" });
    expect(asrStepOf(job({ status: "replying", transcript: "hi" }))).toEqual({ kind: "reply", transcript: "hi" });
    expect(asrStepOf(job({ status: "synthesizing", transcript: "hi", reply: "hello" }))).toEqual({ kind: "reply", transcript: "hi" });
  });

  it("skips finished and unknown jobs", () => {
    expect(asrStepOf(null).kind).toBe("skip");
    expect(asrStepOf(job({ status: "done", transcript: "hi" })).kind).toBe("skip");
    expect(asrStepOf(job({ status: "failed" })).kind).toBe("skip");
    expect(ttsStepOf(null).kind).toBe("skip");
    expect(ttsStepOf(job({ status: "done", reply: "x" })).kind).toBe("skip");
    expect(ttsStepOf(job({ status: "replying", transcript: "hi" })).kind).toBe("skip");
  });

  it("skips a message of an earlier run of a re-driven job, and serves its current run", () => {
    const redriven = job({ run: 1 });
    expect(asrStepOf(redriven, 0)).toEqual({ kind: "skip", reason: EARLIER_RUN });
    expect(asrStepOf(redriven, 1)).toMatchObject({ kind: "transcribe" });
    const speaking = job({ status: "synthesizing", transcript: "hi", reply: "hello", run: 2 });
    expect(ttsStepOf(speaking, 1)).toEqual({ kind: "skip", reason: EARLIER_RUN });
    expect(ttsStepOf(speaking, 2)).toEqual({ kind: "synthesize", text: "hello", botVersion: "2" });
  });

  it("synthesizes the stored reply", () => {
    expect(ttsStepOf(job({ status: "synthesizing", transcript: "hi", reply: "Hello!" }))).toEqual({ kind: "synthesize", text: "Hello!", botVersion: "2" });
  });

  it("hands every provider step the job's bot version, or null for a job stored before versions were recorded", () => {
    expect(asrStepOf(job({ status: "transcribing", botVersion: "canary-3" }))).toMatchObject({ botVersion: "canary-3" });
    expect(ttsStepOf(job({ status: "synthesizing", reply: "Hello!", botVersion: "canary-3" }))).toMatchObject({ botVersion: "canary-3" });
    expect(asrStepOf(job({ botVersion: null }))).toMatchObject({ kind: "transcribe", botVersion: null });
  });

  it("calls an unfinished job stale after JOB_STALE_MS without progress", () => {
    expect(isStale(job(), 1000 + JOB_STALE_MS - 1)).toBe(false);
    expect(isStale(job(), 1000 + JOB_STALE_MS)).toBe(true);
    expect(isStale(job({ updatedAt: 5000 }), 1000 + JOB_STALE_MS)).toBe(false);
    expect(isStale(job({ status: "done" }), 1000 + JOB_STALE_MS * 10)).toBe(false);
  });

  it("re-drives a failed job from where it stopped, and nothing else", () => {
    expect(redriveStageOf(job({ status: "failed" }))).toBe("asr");
    expect(redriveStageOf(job({ status: "failed", transcript: "hi" }))).toBe("asr");
    expect(redriveStageOf(job({ status: "failed", transcript: "hi", reply: "Hello!" }))).toBe("tts");
    expect(redriveStageOf(job({ status: "done" }))).toBeNull();
    expect(redriveStageOf(job({ status: "transcribing" }))).toBeNull();
  });
});

describe("transcriptText", () => {
  it("collapses whitespace and refuses silence", () => {
    expect(transcriptText("  do you have\n running   shoes? ")).toBe("do you have running shoes?");
    expect(transcriptText(" \n\t ")).toBeNull();
  });

  it("cuts a long transcript at a word boundary to what a text turn takes", () => {
    const text = transcriptText("word ".repeat(1000));
    expect(text?.length).toBeLessThanOrEqual(TEXT_MAX);
    expect(text?.endsWith("word")).toBe(true);
  });
});

describe("voiceJobViewOf", () => {
  it("shows what is known, the audio URL only when done, and never internals", () => {
    expect(voiceJobViewOf(job())).toEqual({ jobId: job().jobId, status: "queued", attempts: { asr: 0, tts: 0 }, createdAt: 1000, updatedAt: 1000 });
    const done = voiceJobViewOf(
      job({ status: "done", transcript: "hi", reply: "Hello!", replyKey: "k", asrAttempts: 3, ttsAttempts: 1, lastError: "internal host" }),
    );
    expect(done).toEqual({
      jobId: job().jobId,
      status: "done",
      transcript: "hi",
      reply: "Hello!",
      audioUrl: `/v1/voice/${job().jobId}/audio`,
      attempts: { asr: 3, tts: 1 },
      createdAt: 1000,
      updatedAt: 1000,
    });
  });

  it("tells a failed job's user what happened, in words", () => {
    expect(stageFailureMessage("asr", 4)).toMatch(/^speech recognition failed after 4 attempts/);
    expect(voiceJobViewOf(job({ status: "failed", error: "boom" })).error).toBe("boom");
  });
});

describe("VOICE_JOB_TIMEOUT_SECONDS", () => {
  it("is seconds, and falls back to 15 minutes when unset or not a positive number", () => {
    expect(jobTimeoutMsOf("20")).toBe(20_000);
    expect(jobTimeoutMsOf("0.5")).toBe(500);
    for (const setting of [undefined, "", " ", "0", "-5", "soon"]) expect(jobTimeoutMsOf(setting)).toBe(JOB_STALE_MS);
    expect(isStale(job({ updatedAt: 0 }), 20_000, jobTimeoutMsOf("20"))).toBe(true);
    expect(isStale(job({ updatedAt: 1 }), 20_000, jobTimeoutMsOf("20"))).toBe(false);
  });
});
