import { describe, expect, it } from "vitest";
import { MetricSet } from "../../../src/metrics/series.js";
import { statsAnswer } from "../../../src/metrics/stats.js";
import { bucketStarts, mergeTimelines, rangeEndingAt, rollUp } from "../../../src/metrics/timeline.js";
import { statsAnswerSchema } from "../../../src/protocol/metrics.js";

const MIN = 60_000;

function minute(turnsStable: number, fallbacksCanary: number, turnsCanary: number): MetricSet {
  const set = new MetricSet();
  set.count("parley_turns_total", { bot: "shop", version: "1", cohort: "stable" }, turnsStable);
  set.count("parley_turns_total", { bot: "shop", version: "2", cohort: "canary" }, turnsCanary);
  set.count("parley_fallbacks_total", { bot: "shop", version: "2", cohort: "canary", reason: "low_confidence" }, fallbacksCanary);
  set.count("parley_intents_total", { bot: "shop", version: "1", intent: "greet" }, turnsStable);
  set.count("parley_http_requests_total", { route: "/v1/messages", method: "POST", status: "503" }, 1);
  set.observe("parley_http_request_duration_seconds", { route: "/v1/messages", method: "POST" }, 0.02);
  set.count("parley_voice_jobs_total", { status: "done" }, 1);
  set.count("parley_actor_turns_total", { start: "warm" }, turnsStable + turnsCanary);
  return set;
}

describe("time buckets", () => {
  it("ends a window with the current, partial step", () => {
    const range = rangeEndingAt(10 * MIN + 30_000, 15 * MIN, MIN);
    expect(range).toEqual({ from: -4 * MIN, to: 11 * MIN, stepMs: MIN });
    expect(bucketStarts(range)).toHaveLength(15);
  });

  it("rolls minutes up into wider steps and merges shards by step", () => {
    const range = rangeEndingAt(29 * MIN, 30 * MIN, 5 * MIN);
    const shardA = rollUp(
      [
        { minute: 26 * MIN, series: minute(1, 0, 0).series() },
        { minute: 27 * MIN, series: minute(2, 0, 0).series() },
        { minute: -40 * MIN, series: minute(100, 0, 0).series() },
      ],
      range,
    );
    expect(shardA.map((bucket) => bucket.start)).toEqual([25 * MIN]);
    const shardB = rollUp([{ minute: 25 * MIN, series: minute(4, 0, 0).series() }], range);
    const merged = mergeTimelines(range, [shardA, shardB]);
    expect(merged.size).toBe(6);
    expect(merged.get(25 * MIN)?.total("parley_turns_total")).toBe(7);
  });
});

describe("statsAnswer", () => {
  it("gives what the admin page draws, valid against the protocol schema", () => {
    const range = rangeEndingAt(3 * MIN, 3 * MIN, MIN);
    const buckets = new Map([
      [1 * MIN, minute(3, 1, 4)],
      [2 * MIN, new MetricSet()],
      [3 * MIN, minute(1, 0, 0)],
    ]);
    const now = { websocketsOpen: 2, voiceQueues: [{ stage: "asr" as const, backlog: 1, lagSeconds: 4.5 }], shards: { ok: 8, unreachable: 0 } };
    const answer = statsAnswerSchema.parse(statsAnswer("15m", range, buckets, now, 3 * MIN + 1));
    expect(answer.buckets.map((bucket) => bucket.turns)).toEqual([
      { stable: 3, canary: 4 },
      { stable: 0, canary: 0 },
      { stable: 1, canary: 0 },
    ]);
    expect(answer.buckets[0]?.fallbackRate).toEqual({ stable: 0, canary: 0.25 });
    expect(answer.buckets[1]?.fallbackRate).toEqual({ stable: null, canary: null });
    expect(answer.buckets[0]).toMatchObject({ requests: 1, errors: 1, voice: { done: 1 } });
    expect(answer.buckets[0]?.latencyMs.p50).toBeCloseTo(17.5);
    expect(answer.totals.intents).toEqual([{ intent: "greet", count: 4 }]);
    expect(answer.totals.actorHitRatio).toBe(1);
    expect(answer.totals.turns).toEqual({ stable: 4, canary: 4 });
    expect(answer.now).toEqual(now);
  });
});
