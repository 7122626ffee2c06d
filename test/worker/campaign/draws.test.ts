import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import type { Env } from "../../../platform/env.js";
import { userPseudonym } from "../../../platform/pseudonym.js";
import { call, say, tokenFor } from "../helpers.js";
import { admin, campaign, create, draw, reconciliation, settleAll } from "./fixtures.js";

// Cash wins start payout sagas that outlive their test: the file ends when they have.
afterAll(() => settleAll(), 30_000);

const socks = { id: "socks", kind: "item" as const, amount: 0, count: 40, weight: 1, label: { en: "socks", zh: "袜子" } };

describe("draws on the campaign pool", () => {
  it("answers a duplicated request with the first result, marked as a replay", async () => {
    await create(campaign("draw-replay", { drawsPerUser: 3 }));
    const first = await draw("draw-replay", "replay-user", "call-1");
    expect(first).toMatchObject({ drawNo: 1, replay: false, drawId: "draw-replay:replay-user:1" });
    const again = await Promise.all([draw("draw-replay", "replay-user", "call-1"), draw("draw-replay", "replay-user", "call-1")]);
    for (const answer of again) expect(answer).toEqual({ ...first, replay: true });
    expect(await draw("draw-replay", "replay-user", "call-2")).toMatchObject({ drawNo: 2, replay: false });
  });

  it("keeps the per-user limit after the user erases their conversation", async () => {
    await create(campaign("draw-erase"));
    const userId = "campaign-eraser";
    const token = await tokenFor(userId);
    expect((await say(token, "hello")).status).toBe(200);
    const userKey = await userPseudonym(env as Env, userId);
    expect((await draw("draw-erase", userKey, "turn-1")).outcome).toMatch(/^(won|lost)$/);
    expect((await call("/v1/conversation", { method: "DELETE", token })).status).toBe(204);
    expect((await say(token, "hello again")).status).toBe(200);
    expect(await draw("draw-erase", userKey, "turn-1-after-erase")).toEqual({ outcome: "limit", draws: 1 });
  });

  it("refills a drained shard from the coordinator in batches until the pool is empty", async () => {
    // 40 socks over 4 shards: 5 on each shard, 20 at the coordinator. One user draws on one shard.
    await create(campaign("draw-refill", { budget: 0, noPrizeWeight: 0, drawsPerUser: 100, prizes: [socks] }));
    const outcomes: string[] = [];
    for (let i = 0; i < 30; i++) outcomes.push((await draw("draw-refill", "hungry-user", `r${i}`)).outcome);
    expect(outcomes.filter((outcome) => outcome === "won")).toHaveLength(25);
    expect(outcomes.slice(25)).toEqual(["exhausted", "exhausted", "exhausted", "exhausted", "exhausted"]);
    const books = await reconciliation("draw-refill");
    expect(books).toMatchObject({ ok: true, differences: [], coordinator: { remainder: { prizes: { socks: 0 } } } });
    const drained = books.shards.find((shard) => shard.draws > 0);
    expect(drained?.granted.prizes.socks).toBe(20);
    expect(books.shards.filter((shard) => shard.draws === 0).map((shard) => shard.left.prizes.socks)).toEqual([5, 5, 5]);
  });

  it("never goes over budget with 30 users drawing at once", async () => {
    const cash = { id: "cash-3", kind: "cash" as const, amount: 300, count: 30, weight: 1, label: { en: "¥3.00", zh: "3元" } };
    await create(campaign("draw-rush", { budget: 1_000, noPrizeWeight: 0, prizes: [cash, { ...socks, count: 100 }] }));
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => draw("draw-rush", `rush-user-${i}`, "r1")));
    const cashWins = results.filter((result) => result.outcome === "won" && result.prize.kind === "cash");
    expect(cashWins.length * 300).toBeLessThanOrEqual(1_000);
    expect(results.every((result) => result.outcome === "won")).toBe(true);
    const books = await reconciliation("draw-rush");
    expect(books).toMatchObject({ ok: true, differences: [] });
    const { reserved, paid } = books.totals.cash;
    expect(reserved.amount + paid.amount).toBe(cashWins.length * 300);
    expect(books.totals.budgetLeft + reserved.amount + paid.amount).toBe(1_000);
  });

  it("tells the winner the prize in their language, and a campaign nobody created is closed", async () => {
    await create(campaign("draw-language", { noPrizeWeight: 0, prizes: [{ ...socks, label: { en: "a pair of socks", zh: "一双袜子" } }] }));
    expect(await draw("draw-language", "zh-user", "r1", "zh")).toMatchObject({ outcome: "won", prize: { id: "socks", label: "一双袜子", currency: "CNY" } });
    expect(await draw("no-such-campaign", "someone", "r1")).toEqual({ outcome: "closed", status: "unknown" });
    expect(await draw("bad:id", "someone", "r1")).toEqual({ outcome: "closed", status: "unknown" });
    expect((await admin("/draw-language")).status).toBe(200);
  });
});
