import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { minuteOf } from "../../../src/metrics/timeline.js";
import type { StatsAnswer, StatsBucket } from "../../../src/protocol/metrics.js";
import { statsAnswerSchema } from "../../../src/protocol/metrics.js";
import { adminStats, adminTrafficPayloads } from "../../fixtures/admin-traffic.js";
import { call } from "../helpers.js";
import { metricsAdmin } from "./scrape.js";

/**
 * What the /admin page draws, from the shards: the browser test shows the page
 * `adminStats(...)`; here the same traffic goes into the real aggregator shards (over minutes
 * that lie in the past, so nothing waits for the clock) and GET /v1/admin/stats must answer it.
 */
describe("GET /v1/admin/stats over minutes of traffic (the /admin page's data)", () => {
  let admin: string;
  let sentAt: number;

  beforeAll(async () => {
    admin = await metricsAdmin();
    sentAt = Date.now();
    for (const { shard, payload } of adminTrafficPayloads(sentAt)) await env.METRICS.getByName(shard).ingest(payload);
  });

  async function stats(window: string): Promise<StatsAnswer> {
    const response = await call(`/v1/admin/stats?window=${window}`, { token: admin });
    expect(response.status).toBe(200);
    return statsAnswerSchema.parse(await response.json());
  }

  it("answers exactly the stats the browser test draws", async () => {
    // The first read of this file: no request of its own is counted yet.
    const answer = await stats("1h");
    expect(answer).toEqual(adminStats("1h", answer.generatedAt, sentAt));
  });

  it("has turns per minute by cohort, fallback rates, intents, voice jobs as a funnel", async () => {
    const answer = await stats("1h");
    expect(answer.buckets).toHaveLength(60);
    const turnsAt = (minutesAgo: number) => answer.buckets.find((bucket) => bucket.start === minuteOf(sentAt - minutesAgo * 60_000))?.turns;
    expect([turnsAt(2), turnsAt(1), turnsAt(0)]).toEqual([
      { stable: 3, canary: 2 },
      { stable: 5, canary: 3 },
      { stable: 2, canary: 1 },
    ]);
    expect(answer.totals.turns).toEqual({ stable: 10, canary: 6 });
    expect(answer.totals.fallbacks).toEqual({ stable: 2, canary: 2 });
    expect(answer.totals.fallbackRate).toEqual({ stable: 0.2, canary: 2 / 6 });
    expect(answer.totals.handoffs).toBe(1);
    expect(answer.totals.intents[0]).toEqual({ intent: "greet", count: 6 });
    expect(answer.totals.intents.map((item) => item.intent)).toEqual(expect.arrayContaining(["none", "handoff", "check_stock", "lottery"]));
    expect(answer.totals.voice).toEqual({ queued: 3, transcribing: 3, replying: 2, synthesizing: 2, done: 2, failed: 1 });
    expect(answer.totals).toMatchObject({ retries: 3, deadLetters: 1, errors: 1, coldTurns: 6, snapshotsWritten: 1 });
    expect(answer.totals.actorHitRatio).toBeCloseTo(10 / 16);
    expect(answer.now.voiceQueues).toEqual([
      { stage: "asr", backlog: 0, lagSeconds: 0 },
      { stage: "tts", backlog: 0, lagSeconds: 0 },
    ]);
  });

  it("rolls the same minutes into the steps of every window", async () => {
    for (const window of ["15m", "6h", "24h"] as const) {
      const answer = await stats(window);
      const expected = adminStats(window, answer.generatedAt, sentAt);
      // This file's own reads are requests too: compare everything the traffic alone decides.
      const traffic = (bucket: StatsBucket) => [
        bucket.start,
        bucket.turns,
        bucket.fallbacks,
        bucket.handoffs,
        bucket.voice,
        bucket.retries,
        bucket.deadLetters,
      ];
      expect(answer.buckets.map(traffic)).toEqual(expected.buckets.map(traffic));
      expect(answer.totals.intents).toEqual(expected.totals.intents);
    }
  });
});
