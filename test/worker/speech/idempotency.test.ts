import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../platform/env.js";
import { inputAudioKey, replyAudioKey } from "../../../src/speech/audio-keys.js";
import type { VoiceMessage } from "../../../src/speech/messages.js";
import { VOICE_QUEUES, voiceMessage } from "../../../src/speech/messages.js";
import worker from "../../../workers/index.js";
import { call } from "../helpers.js";
import { eventually } from "../registry/fixtures.js";
import { actorOf, deliver, registeredJob } from "./queue-delivery.js";
import { historyOf, jobOf, settled, transcriptionsOf, voiceToken } from "./voice-client.js";

/** One delivery through a hand-made batch that records the `retry` options (getQueueResult keeps no delays). */
async function deliverRecordingRetry(body: VoiceMessage, attempts: number, overrides: Partial<Env>): Promise<{ acked: boolean; retried: QueueRetryOptions[] }> {
  const seen = { acked: false, retried: [] as QueueRetryOptions[] };
  const message = {
    id: crypto.randomUUID(),
    timestamp: new Date(),
    attempts,
    body,
    ack: () => void (seen.acked = true),
    retry: (options?: QueueRetryOptions) => void seen.retried.push(options ?? {}),
  };
  const batch = { queue: VOICE_QUEUES.asr, messages: [message], ackAll: () => undefined, retryAll: () => undefined };
  await worker.queue(batch as unknown as MessageBatch, { ...env, ...overrides } as Env);
  return seen;
}

async function replyObjects(userId: string): Promise<string[]> {
  return (await env.VOICE_AUDIO.list({ prefix: `voice/${userId}/` })).objects.map((object) => object.key).filter((key) => key.endsWith("/reply"));
}

describe("speech consumers are idempotent by job and stage", { timeout: 30_000 }, () => {
  it("turns the same ASR message delivered twice (in one batch, then again) into one transcript and one reply", async () => {
    const userId = "voice-twice";
    const token = await voiceToken(userId);
    const jobId = await registeredJob(userId, { say: "hello", key: "twice" });
    const message = voiceMessage("asr", userId, jobId);

    const first = await deliver("asr", [message, message]);
    expect(first.result.explicitAcks.sort()).toEqual([...first.ids].sort());
    expect(first.result.retryMessages).toEqual([]);
    const again = await deliver("asr", [message], 2);
    expect(again.result.explicitAcks).toEqual(again.ids);

    expect(await transcriptionsOf("twice")).toBe(1);
    expect((await historyOf(token)).map((entry) => entry.role)).toEqual(["user", "bot"]);
    // Each ASR delivery queued a TTS message on the real queue; they all end in one audio file.
    expect(await settled(token, jobId)).toMatchObject({ status: "done", transcript: "hello", attempts: { asr: 1, tts: 1 } });

    const tts = voiceMessage("tts", userId, jobId);
    const ttsTwice = await deliver("tts", [tts, tts]);
    expect(ttsTwice.result.explicitAcks.sort()).toEqual([...ttsTwice.ids].sort());
    await deliver("tts", [tts], 2);
    expect(await replyObjects(userId)).toEqual([replyAudioKey(userId, jobId)]);
    expect(await jobOf(token, jobId)).toMatchObject({ status: "done", attempts: { asr: 1, tts: 1 } });
    // A late ASR redelivery after the job is done changes nothing either.
    await deliver("asr", [message], 3);
    expect((await historyOf(token)).length).toBe(2);
    expect(await transcriptionsOf("twice")).toBe(1);
  });

  it("runs one turn when a text message reuses a voice turn's clientMessageId while that turn runs", async () => {
    const userId = "voice-key-reuse";
    const jobId = await registeredJob(userId, { say: "hello", key: "reuse" });
    const actor = actorOf(userId);
    const voice = actor.voiceReply(jobId, "do you have running shoes in size 39?");
    // The text message arrives once the voice turn has begun (on a busy machine the two RPCs may
    // otherwise reach the actor in either order): running or done, it is that turn's repeat.
    await eventually(
      async () => ((await actor.voiceJob(jobId))?.status === "replying" || (await actor.voiceJob(jobId))?.status === "synthesizing" ? true : undefined),
      5000,
      1,
    );
    const text = await actor.turn({ text: "do you have running shoes in size 39?", clientMessageId: `voice-${jobId}` });
    expect(await voice).toEqual({ kind: "synthesize" });
    expect(text).toMatchObject({ duplicate: true });
    const history = await historyOf(await voiceToken(userId));
    expect(history.filter((message) => message.role === "user")).toHaveLength(1);
  });

  it("retries a failed delivery with exponential backoff and jitter from message.attempts", async () => {
    const userId = "voice-backoff";
    const token = await voiceToken(userId);
    const jobId = await registeredJob(userId, { say: "hello", key: "backoff", fail: "always" });
    const backoff = { VOICE_RETRY_BASE_SECONDS: "4", VOICE_RETRY_MAX_SECONDS: "100" };
    const delays: number[] = [];
    for (const attempts of [1, 2, 3]) {
      const { acked, retried } = await deliverRecordingRetry(voiceMessage("asr", userId, jobId), attempts, backoff);
      expect(acked).toBe(false);
      expect(retried).toHaveLength(1);
      delays.push(retried[0]?.delaySeconds ?? -1);
    }
    // Window 4·2^(n-1) seconds, jittered within its upper half.
    expect(delays[0]).toBeGreaterThanOrEqual(2);
    expect(delays[0]).toBeLessThanOrEqual(4);
    expect(delays[1]).toBeGreaterThanOrEqual(4);
    expect(delays[1]).toBeLessThanOrEqual(8);
    expect(delays[2]).toBeGreaterThanOrEqual(8);
    expect(delays[2]).toBeLessThanOrEqual(16);
    expect(await jobOf(token, jobId)).toMatchObject({ status: "transcribing", attempts: { asr: 3 } });
  });

  it("fails the job from the dead-letter queue, once, however often the dead letter comes", async () => {
    const userId = "voice-dead";
    const token = await voiceToken(userId);
    const jobId = await registeredJob(userId, { say: "hello", key: "dead", fail: "always" });
    await deliver("asr", [voiceMessage("asr", userId, jobId)], 4);
    const dead = voiceMessage("asr", userId, jobId);
    const { ids, result } = await deliver("dead", [dead, dead]);
    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    const job = await jobOf(token, jobId);
    expect(job).toMatchObject({ status: "failed", attempts: { asr: 4 } });
    expect(job.error).toContain("after 4 attempts");
    expect(await env.VOICE_AUDIO.head(inputAudioKey(userId, jobId))).not.toBeNull();
  });

  it("lets no letter of a job's earlier run fail it once re-driven: a dead letter delivered again after POST …/retry", async () => {
    const userId = "voice-dead-then-redriven";
    const token = await voiceToken(userId);
    // Fails its 4 transcriptions of the first run, then recovers on the re-drive.
    const jobId = await registeredJob(userId, { say: "hello", key: "dead-then-redriven", fail: 4 });
    for (let attempt = 1; attempt <= 4; attempt++) await deliver("asr", [voiceMessage("asr", userId, jobId)], attempt);
    const dead = voiceMessage("asr", userId, jobId);
    await deliver("dead", [dead]);
    expect(await jobOf(token, jobId)).toMatchObject({ status: "failed" });
    // The re-drive as POST …/retry makes it; the test delivers the new run's messages by hand.
    const redriven = await actorOf(userId).redriveVoiceJob(jobId);
    expect(redriven).toMatchObject({ ok: true, stage: "asr", run: 1 });
    // At-least-once: the first run's dead letter and its last transcription come again.
    await deliver("dead", [dead]);
    const late = await deliver("asr", [voiceMessage("asr", userId, jobId)], 4);
    expect(late.result.explicitAcks).toEqual(late.ids);
    expect(await jobOf(token, jobId)).toMatchObject({ status: "queued", attempts: { asr: 0 } });
    expect(await transcriptionsOf("dead-then-redriven")).toBe(4);
    await deliver("asr", [voiceMessage("asr", userId, jobId, undefined, 1)]);
    await deliver("tts", [voiceMessage("tts", userId, jobId, undefined, 1)]);
    const job = await jobOf(token, jobId);
    expect(job).toMatchObject({ status: "done", transcript: "hello", attempts: { asr: 1, tts: 1 } });
    expect((await historyOf(token)).map((message) => message.role)).toEqual(["user", "bot"]);
  });

  it("drops a malformed message instead of retrying it for ever", async () => {
    const batch = createMessageBatch(VOICE_QUEUES.asr, [{ id: "bad", timestamp: Date.now(), attempts: 1, body: { hello: "world" } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch, env);
    expect((await getQueueResult(batch as MessageBatch, ctx)).explicitAcks).toEqual(["bad"]);
  });

  it("does not resurrect an erased conversation: a late TTS result is deleted, a late ASR turn skipped", async () => {
    const userId = "voice-late";
    const token = await voiceToken(userId);
    const jobId = await registeredJob(userId, { say: "hello", key: "late" });
    await deliver("asr", [voiceMessage("asr", userId, jobId)]);
    expect((await call("/v1/conversation", { method: "DELETE", token })).status).toBe(204);
    await deliver("tts", [voiceMessage("tts", userId, jobId)]);
    await deliver("asr", [voiceMessage("asr", userId, jobId)], 2);
    expect(await historyOf(token)).toEqual([]);
    expect((await env.VOICE_AUDIO.list({ prefix: `voice/${userId}/` })).objects).toEqual([]);
  });
});
