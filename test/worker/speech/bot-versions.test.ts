import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Env } from "../../../platform/env.js";
import { inputAudioKey } from "../../../src/speech/audio-keys.js";
import { voiceMessage } from "../../../src/speech/messages.js";
import { fakeRecording } from "../../fakes/openai-audio.js";
import { call } from "../helpers.js";
import { SHOP_GREETING, SHOP_SIZE_PROMPT, adminToken, eventually, markedShop, publish, setRollout, turn, viewOf } from "../registry/fixtures.js";
import { actorOf, deliver, registeredJob } from "./queue-delivery.js";
import { failSyntheses, settled, synthesesOf, transcriptionModelsOf, voiceToken } from "./voice-client.js";

/**
 * The ASR model and the TTS voice as bot data: a canary version names other ones, users in
 * its suffix get them, and a voice job stays on the version it was registered on until it ends.
 */
const CANARY_SPEECH = { asrModel: "whisper-canary", ttsModel: "tts-canary", voice: "nova" };
const CANARY = { stable: "1", canary: { version: "speech-2", suffixes: ["9"] } };
const STABLE_ONLY = { stable: "1" };
/** The vars of the worker tests set no models: the stable version speaks with OpenAI's defaults. */
const STABLE_SPEECH = { asrModel: "whisper-1", ttsModel: "tts-1", voice: "alloy" };

/** A TTS message the ASR consumer sends is held back: the test delivers the TTS stage itself. */
const holdTts = { VOICE_TTS: { send: async () => undefined } } as unknown as Partial<Env>;

describe("speech settings per bot version", { timeout: 30_000 }, () => {
  let admin: string;

  /** Sets the rollout and waits until `userId`'s own actor answers on `version`. */
  async function rollTo(rollout: unknown, userId: string, version: string): Promise<void> {
    expect((await setRollout(admin, "shop", rollout)).status).toBe(200);
    const token = await voiceToken(userId);
    await eventually(async () => ((await viewOf(token)).botVersion === version ? true : undefined));
  }

  async function audioOf(token: string, jobId: string): Promise<string> {
    const response = await call(`/v1/voice/${jobId}/audio`, { token });
    expect(response.status).toBe(200);
    return new TextDecoder().decode(await response.arrayBuffer());
  }

  beforeAll(async () => {
    admin = await adminToken();
    const definition = { ...markedShop("speech-2", "[s2]"), speech: CANARY_SPEECH };
    expect((await publish(admin, "shop", "speech-2", definition)).status).toBe(201);
  }, 60_000);

  it("gives users in the canary suffix the canary's ASR model, TTS model and voice, and everyone else the stable ones", async () => {
    await rollTo(CANARY, "speech-canary-9", "speech-2");
    const [canary, stable] = await Promise.all([voiceToken("speech-canary-9"), voiceToken("speech-stable-3")]);
    const [canaryJob, stableJob] = await Promise.all([
      postAndSettle(canary, { say: "hello", key: "canary-9" }),
      postAndSettle(stable, { say: "hello", key: "stable-3" }),
    ]);

    expect(await transcriptionModelsOf("canary-9")).toEqual([CANARY_SPEECH.asrModel]);
    expect(canaryJob.reply.startsWith(`[s2] ${SHOP_GREETING}`)).toBe(true);
    expect(await audioOf(canary, canaryJob.jobId)).toBe(`FAKE-AUDIO:nova:${canaryJob.reply}`);
    expect(await synthesesOf(canaryJob.reply)).toEqual([{ model: CANARY_SPEECH.ttsModel, voice: CANARY_SPEECH.voice }]);

    expect(await transcriptionModelsOf("stable-3")).toEqual([STABLE_SPEECH.asrModel]);
    expect(stableJob.reply.startsWith(SHOP_GREETING)).toBe(true);
    expect(await audioOf(stable, stableJob.jobId)).toBe(`FAKE-AUDIO:alloy:${stableJob.reply}`);
    const stableSyntheses = await synthesesOf(stableJob.reply);
    expect(stableSyntheses).toContainEqual({ model: STABLE_SPEECH.ttsModel, voice: STABLE_SPEECH.voice });
    expect(stableSyntheses).not.toContainEqual(expect.objectContaining({ voice: CANARY_SPEECH.voice }));
  });

  it("finishes a job started on the canary with the canary's voice when the rollout is rolled back between its ASR and TTS", async () => {
    const userId = "speech-rollback-9";
    await rollTo(CANARY, userId, "speech-2");
    const token = await voiceToken(userId);
    const jobId = await registeredJob(userId, { say: "hello", key: "rollback-9" });
    expect((await actorOf(userId).voiceJob(jobId))?.botVersion).toBe("speech-2");

    await deliver("asr", [voiceMessage("asr", userId, jobId)], 1, holdTts);
    const afterAsr = await actorOf(userId).voiceJob(jobId);
    expect(afterAsr?.status).toBe("synthesizing");
    const reply = afterAsr?.reply ?? "";
    expect(reply.startsWith(`[s2] ${SHOP_GREETING}`)).toBe(true);
    expect(await transcriptionModelsOf("rollback-9")).toEqual([CANARY_SPEECH.asrModel]);

    // Rolled back: this user's next text turn would be on stable, the job's TTS is still the canary's.
    await rollTo(STABLE_ONLY, userId, "1");
    // The first synthesis fails: the retry, too, speaks with the job's version.
    await failSyntheses(reply, 1);
    // The first test spoke the same greeting: count this job's syntheses only.
    const before = (await synthesesOf(reply)).length;
    const tts = voiceMessage("tts", userId, jobId);
    expect((await deliver("tts", [tts])).result.retryMessages).toHaveLength(1);
    await deliver("tts", [tts], 2);

    const job = await settled(token, jobId);
    expect(job).toMatchObject({ status: "done", attempts: { asr: 1, tts: 2 } });
    expect(await audioOf(token, jobId)).toBe(`FAKE-AUDIO:nova:${reply}`);
    expect((await synthesesOf(reply)).slice(before)).toEqual([
      { model: CANARY_SPEECH.ttsModel, voice: CANARY_SPEECH.voice },
      { model: CANARY_SPEECH.ttsModel, voice: CANARY_SPEECH.voice },
    ]);
  });

  it("keeps a job started on stable on stable when the canary starts before its ASR: recognition, reply and voice", async () => {
    const userId = "speech-late-canary-9";
    await rollTo(STABLE_ONLY, userId, "1");
    const token = await voiceToken(userId);
    const jobId = await registeredJob(userId, { say: "hello", key: "late-canary-9" });
    await rollTo(CANARY, userId, "speech-2");

    await deliver("asr", [voiceMessage("asr", userId, jobId)], 1, holdTts);
    await deliver("tts", [voiceMessage("tts", userId, jobId)]);
    const job = await settled(token, jobId);
    expect(await transcriptionModelsOf("late-canary-9")).toEqual([STABLE_SPEECH.asrModel]);
    // The dialog turn ran on the job's version too: the canary's greeting would start with [s2].
    expect(job.status).toBe("done");
    expect(job.reply?.startsWith(SHOP_GREETING)).toBe(true);
    expect(await audioOf(token, jobId)).toBe(`FAKE-AUDIO:alloy:${job.reply}`);
    // The next job of the same user is on the canary.
    const next = await postAndSettle(token, { say: "hello", key: "late-canary-9-next" });
    expect(await transcriptionModelsOf("late-canary-9-next")).toEqual([CANARY_SPEECH.asrModel]);
    expect(await audioOf(token, next.jobId)).toBe(`FAKE-AUDIO:nova:${next.reply}`);
    expect(next.reply.startsWith("[s2]")).toBe(true);
  });

  it("runs a job registered during a flow opened on the canary on that flow's version, speech included, after a rollback", async () => {
    const userId = "speech-open-flow-9";
    await rollTo(CANARY, userId, "speech-2");
    const token = await voiceToken(userId);
    expect(await turn(token, "do you have running shoes?")).toMatchObject({ botVersion: "speech-2", reply: { text: `[s2] ${SHOP_SIZE_PROMPT}` } });
    await rollTo(STABLE_ONLY, "speech-open-flow-probe-9", "1");
    // The user is on stable now, but the open flow keeps them on the canary until it ends.
    expect(await viewOf(token)).toMatchObject({ cohort: "stable", botVersion: "speech-2", activeFlow: "check_stock" });

    const job = await postAndSettle(token, { say: "42", key: "open-flow-9" });
    expect((await actorOf(userId).voiceJob(job.jobId))?.botVersion).toBe("speech-2");
    expect(await transcriptionModelsOf("open-flow-9")).toEqual([CANARY_SPEECH.asrModel]);
    expect(await audioOf(token, job.jobId)).toBe(`FAKE-AUDIO:nova:${job.reply}`);
    expect(await viewOf(token)).toMatchObject({ botVersion: "1", activeFlow: null });
  });

  it("completes a job row stored before bot versions were recorded, on the user's current version", async () => {
    const userId = "speech-old-row-9";
    await rollTo(CANARY, userId, "speech-2");
    const token = await voiceToken(userId);
    const jobId = crypto.randomUUID();
    const audioKey = inputAudioKey(userId, jobId);
    await env.VOICE_AUDIO.put(audioKey, fakeRecording({ say: "hello", key: "old-row-9" }));
    await runInDurableObject(actorOf(userId), async (_actor, state) => {
      state.storage.sql.exec(OLD_VOICE_JOBS_TABLE);
      state.storage.sql.exec(
        "INSERT INTO voice_jobs (job_id, status, audio_key, audio_type, created_at, updated_at) VALUES (?, 'queued', ?, 'audio/webm', ?, ?)",
        jobId,
        audioKey,
        Date.now(),
        Date.now(),
      );
    });

    await env.VOICE_ASR.send(voiceMessage("asr", userId, jobId));
    const job = await settled(token, jobId);
    expect(job).toMatchObject({ status: "done", transcript: "hello" });
    expect(job.reply?.startsWith(`[s2] ${SHOP_GREETING}`)).toBe(true);
    expect((await actorOf(userId).voiceJob(jobId))?.botVersion).toBeNull();
    expect(await transcriptionModelsOf("old-row-9")).toEqual([CANARY_SPEECH.asrModel]);
    expect(await audioOf(token, jobId)).toBe(`FAKE-AUDIO:nova:${job.reply}`);
    // The old table got the column: a new job there records its version.
    const next = await registeredJob(userId, { say: "hello", key: "old-row-9-next" });
    expect((await actorOf(userId).voiceJob(next))?.botVersion).toBe("speech-2");
  });
});

/** POST /v1/voice, then the job once done. */
async function postAndSettle(token: string, directive: { say: string; key: string }): Promise<{ jobId: string; reply: string }> {
  const response = await call("/v1/voice", { method: "POST", token, body: fakeRecording(directive), headers: { "content-type": "audio/webm" } });
  expect(response.status).toBe(202);
  const { jobId } = (await response.json()) as { jobId: string };
  const job = await settled(token, jobId);
  expect(job.status).toBe("done");
  return { jobId, reply: job.reply ?? "" };
}

/** `voice_jobs` as actors created it before the `bot_version` column. */
const OLD_VOICE_JOBS_TABLE = `
CREATE TABLE IF NOT EXISTS voice_jobs (
  job_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  audio_key TEXT NOT NULL,
  audio_type TEXT NOT NULL,
  transcript TEXT,
  reply TEXT,
  reply_key TEXT,
  reply_type TEXT,
  error TEXT,
  last_error TEXT,
  asr_attempts INTEGER NOT NULL DEFAULT 0,
  tts_attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS voice_jobs_unfinished ON voice_jobs (created_at) WHERE status NOT IN ('done', 'failed');
`;
