import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inputAudioKey, replyAudioKey } from "../../../src/speech/audio-keys.js";
import { call, say } from "../helpers.js";
import { liveSocket } from "../ws-client.js";
import { failSyntheses, historyOf, jobOf, settled, speak, transcriptionsOf, voiceToken } from "./voice-client.js";

/**
 * Voice turns end to end inside workerd: real queues (ASR, TTS, dead letters) and R2, the
 * user's actor, and a fake OpenAI-compatible audio server as the provider.
 */
describe("voice turns", { timeout: 30_000 }, () => {
  it("transcribes, answers through the dialog engine, speaks the reply, and pushes every status", async () => {
    const token = await voiceToken("voice-happy");
    const socket = await liveSocket(token);
    const jobId = await speak(token, { say: "do you have running shoes in size 39?", key: "happy" });
    const job = await settled(token, jobId);
    expect(job).toMatchObject({
      jobId,
      status: "done",
      transcript: "do you have running shoes in size 39?",
      audioUrl: `/v1/voice/${jobId}/audio`,
      attempts: { asr: 1, tts: 1 },
    });
    expect(job.reply).toEqual(expect.any(String));
    expect(job.error).toBeUndefined();

    const audio = await call(job.audioUrl ?? "", { token });
    expect(audio.status).toBe(200);
    expect(audio.headers.get("content-type")).toBe("audio/mpeg");
    expect(new TextDecoder().decode(await audio.arrayBuffer())).toBe(`FAKE-AUDIO:alloy:${job.reply}`);

    // The same engine, events and history as a text turn: the transcript is the user's message.
    expect(await historyOf(token)).toEqual([
      expect.objectContaining({ role: "user", text: "do you have running shoes in size 39?" }),
      expect.objectContaining({ role: "bot", text: job.reply }),
    ]);
    const view = (await (await call("/v1/conversation", { token })).json()) as { slots: Record<string, unknown> };
    expect(view.slots).toMatchObject({ size: 39, product: "running" });

    await socket.until((frames) => frames.some((frame) => frame.type === "voice" && frame.status === "done"), "voice done frame");
    const statuses = socket.frames.flatMap((frame) => (frame.type === "voice" && frame.jobId === jobId ? [frame.status] : []));
    expect(statuses).toEqual(["queued", "transcribing", "replying", "synthesizing", "done"]);
    expect(socket.frames).toContainEqual(expect.objectContaining({ type: "voice", status: "done", audioUrl: job.audioUrl, reply: job.reply }));
    expect(socket.messages().map((frame) => frame.role)).toEqual(["user", "bot"]);
    socket.close();
    expect(await transcriptionsOf("happy")).toBe(1);
  });

  it("retries a provider that fails twice, then answers once, with the attempts visible", async () => {
    const token = await voiceToken("voice-flaky");
    const jobId = await speak(token, { say: "hello", key: "flaky", fail: 2 });
    const job = await settled(token, jobId);
    expect(job).toMatchObject({ status: "done", transcript: "hello", attempts: { asr: 3, tts: 1 } });
    expect(await transcriptionsOf("flaky")).toBe(3);
    expect((await historyOf(token)).map((message) => message.role)).toEqual(["user", "bot"]);
  });

  it("retries a failing synthesis the same way", async () => {
    // The fake fails by input text: learn what the bot answers to "thanks" from a text turn first.
    const reply = ((await (await say(await voiceToken("voice-flaky-tts-probe"), "thanks")).json()) as { reply: { text: string } }).reply.text;
    await failSyntheses(reply, 2);
    const token = await voiceToken("voice-flaky-tts");
    const job = await settled(token, await speak(token, { say: "thanks", key: "flaky-tts" }));
    expect(job).toMatchObject({ status: "done", reply, attempts: { asr: 1, tts: 3 } });
    expect((await historyOf(token)).length).toBe(2);
  });

  it("fails the job through the dead-letter queue when the provider never recovers, tells the user, keeps the audio", async () => {
    const userId = "voice-down";
    const token = await voiceToken(userId);
    const socket = await liveSocket(token);
    const jobId = await speak(token, { say: "hello", key: "down", fail: "always" });
    const job = await settled(token, jobId);
    // max_retries = 3 in wrangler.toml: 4 deliveries, then the dead-letter consumer.
    expect(job).toMatchObject({ status: "failed", attempts: { asr: 4, tts: 0 } });
    expect(job.error).toMatch(/^speech recognition failed after 4 attempts; the recording is kept/);
    expect(job.transcript).toBeUndefined();
    expect(await transcriptionsOf("down")).toBe(4);
    expect(await env.VOICE_AUDIO.head(inputAudioKey(userId, jobId))).not.toBeNull();
    expect(await historyOf(token)).toEqual([]);
    await socket.until((frames) => frames.some((frame) => frame.type === "voice" && frame.status === "failed"), "voice failed frame");
    expect(socket.frames).toContainEqual(expect.objectContaining({ type: "voice", jobId, status: "failed", error: job.error }));
    expect((await call(`/v1/voice/${jobId}/audio`, { token })).status).toBe(409);
    socket.close();
  });

  it("re-drives a failed job from its kept recording: POST /v1/voice/:jobId/retry", async () => {
    const token = await voiceToken("voice-redrive");
    // Fails 4 times: every delivery of the first run, then recovers on the re-drive.
    const jobId = await speak(token, { say: "hello", key: "redrive", fail: 4 });
    expect(await settled(token, jobId)).toMatchObject({ status: "failed", attempts: { asr: 4 } });
    const retried = await call(`/v1/voice/${jobId}/retry`, { method: "POST", token });
    expect(retried.status).toBe(202);
    expect(await retried.json()).toEqual({ jobId, status: "queued", statusUrl: `/v1/voice/${jobId}` });
    const job = await settled(token, jobId);
    expect(job).toMatchObject({ status: "done", transcript: "hello", attempts: { asr: 1, tts: 1 } });
    expect(job.error).toBeUndefined();
    expect((await historyOf(token)).map((message) => message.role)).toEqual(["user", "bot"]);
    const again = await call(`/v1/voice/${jobId}/retry`, { method: "POST", token });
    expect(again.status).toBe(409);
    expect((await call(`/v1/voice/${crypto.randomUUID()}/retry`, { method: "POST", token })).status).toBe(404);
  });

  it("fails at once, without retries, when the provider refuses the recording (4xx)", async () => {
    const token = await voiceToken("voice-refused");
    const job = await settled(token, await speak(token, { key: "refused", fail: "always", status: 400 }));
    expect(job).toMatchObject({ status: "failed", attempts: { asr: 1 } });
    expect(await transcriptionsOf("refused")).toBe(1);
  });

  it("fails a recording with no speech in it instead of sending an empty message", async () => {
    const token = await voiceToken("voice-silent");
    const job = await settled(token, await speak(token, { say: "   ", key: "silent" }));
    expect(job).toMatchObject({ status: "failed", error: "no speech was recognized in the recording" });
    expect(await historyOf(token)).toEqual([]);
  });

  it("answers 409 for the audio of a job still in flight, and keeps jobs per user", async () => {
    const token = await voiceToken("voice-slow");
    const jobId = await speak(token, { say: "hello", key: "slow", delayMs: 1500 });
    expect((await call(`/v1/voice/${jobId}/audio`, { token })).status).toBe(409);
    const stranger = await voiceToken("voice-stranger");
    expect((await call(`/v1/voice/${jobId}`, { token: stranger })).status).toBe(404);
    expect((await call(`/v1/voice/${jobId}/audio`, { token: stranger })).status).toBe(404);
    expect((await settled(token, jobId)).status).toBe("done");
  });

  it("erases the audio and the jobs with the conversation", async () => {
    const userId = "voice-erased";
    const token = await voiceToken(userId);
    const jobId = await speak(token, { say: "hello", key: "erased" });
    await settled(token, jobId);
    expect(await env.VOICE_AUDIO.head(replyAudioKey(userId, jobId))).not.toBeNull();
    expect((await call("/v1/conversation", { method: "DELETE", token })).status).toBe(204);
    expect((await env.VOICE_AUDIO.list({ prefix: `voice/${userId}/` })).objects).toEqual([]);
    expect((await call(`/v1/voice/${jobId}`, { token })).status).toBe(404);
    expect((await jobOf(token, await speak(token, { say: "hi again", key: "erased-2" }))).status).not.toBe("failed");
  });
});
