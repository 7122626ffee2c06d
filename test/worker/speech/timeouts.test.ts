import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { JOB_STALE_MS } from "../../../src/speech/job.js";
import { voiceMessage } from "../../../src/speech/messages.js";
import { call } from "../helpers.js";
import { actorOf, deliver, registeredJob } from "./queue-delivery.js";
import { historyOf, jobOf, voiceToken } from "./voice-client.js";

/** Moves a job's last progress `ms` into the past, as if that long had gone by without a delivery. */
async function age(userId: string, jobId: string, ms: number): Promise<void> {
  await runInDurableObject(actorOf(userId), (_instance, state) => {
    state.storage.sql.exec("UPDATE voice_jobs SET updated_at = updated_at - ? WHERE job_id = ?", ms, jobId);
  });
}

describe("a voice job whose queue message was lost", { timeout: 30_000 }, () => {
  it("arms the actor's alarm for its timeout when it is registered", async () => {
    const userId = "voice-timeout-armed";
    const before = Date.now();
    await registeredJob(userId, { say: "hello", key: "timeout-armed" });
    const alarm = await runInDurableObject(actorOf(userId), (_instance, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm ?? 0).toBeGreaterThanOrEqual(before + JOB_STALE_MS);
  });

  it("fails when the alarm rings past its timeout, tells the user, and can be re-driven to one reply", async () => {
    const userId = "voice-timeout-lost";
    const token = await voiceToken(userId);
    // Registered, and its ASR message never delivered: lost, as a crash of the local runtime loses it.
    const jobId = await registeredJob(userId, { say: "hello", key: "timeout-lost" });
    expect(await runDurableObjectAlarm(actorOf(userId))).toBe(true);
    expect(await jobOf(token, jobId)).toMatchObject({ status: "queued" });
    await age(userId, jobId, JOB_STALE_MS);
    expect(await runDurableObjectAlarm(actorOf(userId))).toBe(true);
    const failed = await jobOf(token, jobId);
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed.error).toContain("timed out");
    // Nothing is left to time out: no alarm rings for it again.
    expect(await runInDurableObject(actorOf(userId), (_instance, state) => state.storage.getAlarm())).toBeNull();
    // The re-drive POST …/retry makes (the route is tested in pipeline.test.ts); the test delivers its messages.
    expect(await actorOf(userId).redriveVoiceJob(jobId)).toMatchObject({ ok: true, run: 1 });
    // The lost message turns up after all: it is of the first run and does nothing.
    await deliver("asr", [voiceMessage("asr", userId, jobId)]);
    await deliver("asr", [voiceMessage("asr", userId, jobId, undefined, 1)]);
    await deliver("tts", [voiceMessage("tts", userId, jobId, undefined, 1)]);
    expect(await jobOf(token, jobId)).toMatchObject({ status: "done", transcript: "hello" });
    expect((await historyOf(token)).map((message) => message.role)).toEqual(["user", "bot"]);
  });

  it("leaves a job that is making progress alone", async () => {
    const userId = "voice-timeout-moving";
    const token = await voiceToken(userId);
    const jobId = await registeredJob(userId, { say: "hello", key: "timeout-moving" });
    await age(userId, jobId, JOB_STALE_MS - 60_000);
    expect(await runDurableObjectAlarm(actorOf(userId))).toBe(true);
    expect(await jobOf(token, jobId)).toMatchObject({ status: "queued" });
  });

  it("creates no voice table for a conversation that never spoke when its alarm rings", async () => {
    const userId = "voice-timeout-text-only";
    const token = await voiceToken(userId);
    const sent = await call("/v1/messages", { method: "POST", token, json: { text: "hello", clientMessageId: "text-only-1" } });
    expect(sent.status).toBe(200);
    await runInDurableObject(actorOf(userId), (_instance, state) => state.storage.setAlarm(Date.now() + 60_000));
    expect(await runDurableObjectAlarm(actorOf(userId))).toBe(true);
    const tables = await runInDurableObject(actorOf(userId), (_instance, state) =>
      state.storage.sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .toArray()
        .map((row) => row.name),
    );
    expect(tables).not.toContain("voice_jobs");
    expect(tables).toContain("events");
  });
});
