import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { userPseudonym } from "../../../platform/pseudonym.js";
import { fakeRecording } from "../../fakes/openai-audio.js";
import { call } from "../helpers.js";
import { settled, speak, voiceToken } from "../speech/voice-client.js";
import { metricsAdmin, movedBy, scrape, scrapeUntil } from "./scrape.js";

const status = (name: string) => `parley_voice_jobs_total{status="${name}"}`;
const RETRIES = 'parley_voice_queue_retries_total{stage="asr"}';
const DEAD = 'parley_voice_queue_dead_letters_total{stage="asr"}';

/** Voice jobs through the real queues (ASR, TTS, dead letters) with the fake speech provider. */
describe("voice metrics", { timeout: 40_000 }, () => {
  let admin: string;

  beforeAll(async () => {
    admin = await metricsAdmin();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("counts jobs by status, queue retries and dead letters, exactly", async () => {
    const token = await voiceToken("metrics-voice");
    const before = await scrape(admin);
    await settled(token, await speak(token, { say: "hello", key: "metrics-happy" }));
    await settled(token, await speak(token, { say: "hello", key: "metrics-flaky", fail: 2 }));
    await settled(token, await speak(token, { say: "hello", key: "metrics-down", fail: "always" }), 25_000);
    const expected = {
      [status("queued")]: 3,
      [status("transcribing")]: 3,
      [status("replying")]: 2,
      [status("synthesizing")]: 2,
      [status("done")]: 2,
      [status("failed")]: 1,
      // flaky: 2 failed deliveries sent back; down: 4 (max_retries 3, the last one goes to the dead-letter queue)
      [RETRIES]: 6,
      [DEAD]: 1,
    };
    expect(await movedBy(admin, before, expected)).toEqual(expected);
    const after = await scrape(admin);
    expect(after.get('parley_voice_queue_backlog{stage="asr"}')).toBe(0);
    expect(after.get('parley_voice_queue_backlog{stage="tts"}')).toBe(0);
  });

  it("shows a waiting job as backlog, and its age as lag, until it is done", async () => {
    const token = await voiceToken("metrics-voice-slow");
    const jobId = await speak(token, { say: "hello", key: "metrics-slow", delayMs: 2500 });
    const waiting = await scrapeUntil(
      admin,
      (now) => now.get('parley_voice_queue_backlog{stage="asr"}') === 1 && now.get('parley_voice_queue_lag_seconds{stage="asr"}') >= 1,
    );
    expect(waiting.get('parley_voice_queue_lag_seconds{stage="asr"}')).toBeLessThan(30);
    const stats = (await (await call("/v1/admin/stats?window=15m", { token: admin })).json()) as { now: { voiceQueues: { stage: string; backlog: number }[] } };
    expect(stats.now.voiceQueues).toContainEqual(expect.objectContaining({ stage: "asr", backlog: 1 }));
    expect((await settled(token, jobId)).status).toBe("done");
    const drained = await scrapeUntil(admin, (now) => now.sum("parley_voice_queue_backlog") === 0);
    expect(drained.get('parley_voice_queue_lag_seconds{stage="asr"}')).toBe(0);
  });

  it("carries the request's trace id to the queue consumers' log lines, with the user only as a hash", async () => {
    const lines: string[] = [];
    for (const method of ["debug", "info", "log", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const userId = "metrics-traced-voice-user";
    const token = await voiceToken(userId);
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const response = await call("/v1/voice", {
      method: "POST",
      token,
      body: fakeRecording({ say: "hello", key: "metrics-traced" }),
      headers: { "content-type": "audio/wav", traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(202);
    expect(response.headers.get("traceparent")).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const { jobId } = (await response.json()) as { jobId: string };
    await settled(token, jobId);
    const logged = lines.flatMap((line) => (line.startsWith("{") ? [JSON.parse(line) as Record<string, unknown>] : []));
    const deliveries = logged.filter((line) => line["message"] === "voice delivery" && line["job"] === jobId);
    expect(deliveries.map((line) => line["stage"]).sort()).toEqual(["asr", "tts"]);
    for (const line of deliveries) expect(line).toMatchObject({ level: "info", traceId, user: await userPseudonym(env, userId), outcome: "ack" });
    // Each hop has a span of its own: the consumers' spans differ from each other and from the caller's.
    expect(new Set(deliveries.map((line) => line["spanId"])).size).toBe(2);
    expect(deliveries.map((line) => line["spanId"])).not.toContain("00f067aa0ba902b7");
    expect(logged).toContainEqual(
      expect.objectContaining({ message: "request", route: "/v1/voice", status: 202, traceId, user: await userPseudonym(env, userId) }),
    );
    expect(lines.filter((line) => line.includes(userId))).toEqual([]);
  });
});
