import { beforeAll, describe, expect, it } from "vitest";
import type { StatsAnswer } from "../../../src/protocol/metrics.js";
import { statsAnswerSchema } from "../../../src/protocol/metrics.js";
import { call, errorOf, say, tokenFor } from "../helpers.js";
import { metricsAdmin } from "./scrape.js";

async function stats(admin: string, window: string): Promise<StatsAnswer> {
  const response = await call(`/v1/admin/stats?window=${window}`, { token: admin });
  expect(response.status).toBe(200);
  return statsAnswerSchema.parse(await response.json());
}

/** Polls until the window shows `turns` stable turns (a timer's batch may be in flight). */
async function statsWithTurns(admin: string, turns: number): Promise<StatsAnswer> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await stats(admin, "15m");
    if (answer.totals.turns.stable >= turns || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("GET /v1/admin/stats", { timeout: 30_000 }, () => {
  let admin: string;

  beforeAll(async () => {
    admin = await metricsAdmin();
  });

  it("is admin-only and names a bad window", async () => {
    expect((await call("/v1/admin/stats")).status).toBe(401);
    expect((await call("/v1/admin/stats", { token: await tokenFor("nosy") })).status).toBe(403);
    const bad = await call("/v1/admin/stats?window=2d", { token: admin });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({ code: "invalid_request", message: expect.stringMatching(/^window: /) });
  });

  it("gives the same figures as /metrics over time buckets: turns, fallback rate by cohort, intents, latency", async () => {
    const token = await tokenFor("stats-user-3");
    for (const text of ["hello", "what's the weather like on Mars", "hello"]) expect((await say(token, text)).status).toBe(200);
    const answer = await statsWithTurns(admin, 3);
    expect(answer).toMatchObject({ window: "15m", stepSeconds: 60 });
    expect(answer.buckets).toHaveLength(15);
    expect(answer.to - answer.from).toBe(15 * 60_000);
    expect(answer.buckets.map((bucket) => bucket.start)).toEqual(answer.buckets.map((_, i) => answer.from + i * 60_000));
    expect(answer.totals.turns).toEqual({ stable: 3, canary: 0 });
    expect(answer.totals.fallbacks).toEqual({ stable: 1, canary: 0 });
    expect(answer.totals.fallbackRate.stable).toBeCloseTo(1 / 3);
    expect(answer.totals.fallbackRate.canary).toBeNull();
    expect(answer.totals.intents).toEqual([
      { intent: "greet", count: 2 },
      { intent: "none", count: 1 },
    ]);
    expect(answer.buckets.reduce((sum, bucket) => sum + bucket.turns.stable, 0)).toBe(3);
    expect(answer.totals.requests).toBeGreaterThanOrEqual(3);
    expect(answer.totals.latencyMs.p50).toBeGreaterThan(0);
    expect(answer.totals.latencyMs.p99).toBeGreaterThanOrEqual(answer.totals.latencyMs.p50 ?? 0);
    expect(answer.totals.actorHitRatio).toBeCloseTo(2 / 3);
    expect(answer.now.shards).toEqual({ ok: 8, unreachable: 0 });
  });

  it("is in the OpenAPI document, with /metrics", async () => {
    const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/metrics", "/v1/admin/stats"]));
  });

  it("uses wider buckets for wider windows", async () => {
    const day = await stats(admin, "24h");
    expect(day).toMatchObject({ window: "24h", stepSeconds: 900 });
    expect(day.buckets).toHaveLength(96);
    expect(day.totals.turns.stable).toBe(3);
    expect((await stats(admin, "6h")).buckets).toHaveLength(72);
  });
});
