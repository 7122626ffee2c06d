import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { choosePrize } from "../../../src/campaign/choose.js";
import type { DrawView } from "../../../src/campaign/draw-decision.js";
import { decideDraw } from "../../../src/campaign/draw-decision.js";
import { grantBatch, needOf } from "../../../src/campaign/refill.js";
import { shardOf } from "../../../src/campaign/shard-of.js";
import { campaignStatus } from "../../../src/campaign/status.js";
import { EMPTY_STOCK, initialSplit, totalsOf } from "../../../src/campaign/stock.js";
import { campaign } from "./fixtures.js";

const spring = campaign();
const split = initialSplit(spring);
const view = (change: Partial<DrawView> = {}): DrawView => ({
  definition: spring,
  adminStatus: "active",
  now: Date.parse("2026-06-01T00:00:00Z"),
  prior: null,
  userDraws: 0,
  stock: split.shard,
  coordinatorLeft: split.coordinator,
  refilled: false,
  random: 0,
  ...change,
});

describe("shardOf", () => {
  it("is stable and within 0..N-1, and spreads users over the shards", () => {
    fc.assert(fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (key, n) => shardOf(key, n) === shardOf(`${key}`, n) && shardOf(key, n) < n));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardOf(`user-${i}`, 4)] = (counts[shardOf(`user-${i}`, 4)] ?? 0) + 1;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});

describe("initialSplit", () => {
  it("pre-splits half evenly over the shards and keeps the rest at the coordinator", () => {
    expect(split.shard).toEqual({ budget: 12_500, prizes: { "cash-5": 12, "cash-1": 62, "coupon-10": 125, socks: 6 } });
    expect(split.coordinator).toEqual({ budget: 50_000, prizes: { "cash-5": 52, "cash-1": 252, "coupon-10": 500, socks: 26 } });
  });

  it("never hands out more than the totals", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 64 }), (budget, shards) => {
        const { shard, coordinator } = initialSplit(campaign({ budget, shards }));
        return shard.budget * shards + coordinator.budget === budget && coordinator.budget >= 0;
      }),
    );
  });
});

describe("choosePrize", () => {
  it("maps [0, 1) onto the weights, no prize last", () => {
    const [cash5, cash1, coupon, socks] = spring.prizes;
    const pick = (r: number) => choosePrize(spring.prizes, 25, r)?.id ?? null;
    expect(pick(0)).toBe(cash5?.id); // 0 of 100
    expect(pick(0.099)).toBe(cash5?.id);
    expect(pick(0.1)).toBe(cash1?.id);
    expect(pick(0.4)).toBe(coupon?.id);
    expect(pick(0.7)).toBe(socks?.id);
    expect(pick(0.75)).toBeNull();
    expect(pick(0.999_999)).toBeNull();
  });

  it("picks only among the prizes given, and nothing when every weight is 0", () => {
    expect(choosePrize([], 0, 0.5)).toBeNull();
    fc.assert(fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (r) => choosePrize(spring.prizes.slice(2), 0, r)?.kind !== "cash"));
  });
});

describe("refill", () => {
  it("asks only for what the shard lacks and the coordinator may hold", () => {
    expect(needOf(spring, split.shard, split.coordinator)).toBeNull();
    const noSocks = { ...split.shard, prizes: { ...split.shard.prizes, socks: 0 } };
    expect(needOf(spring, noSocks, split.coordinator)).toEqual({ budget: 0, prizes: { socks: 1 } });
    expect(needOf(spring, noSocks, { ...split.coordinator, prizes: { ...split.coordinator.prizes, socks: 0 } })).toBeNull();
    expect(needOf(spring, { ...split.shard, budget: 150 }, split.coordinator)).toEqual({ budget: 350, prizes: {} });
    expect(needOf(spring, { ...split.shard, budget: 150 }, { ...split.coordinator, budget: 0 })).toBeNull();
  });

  it("grants at least a batch, never more than the remainder", () => {
    expect(grantBatch(spring, split.coordinator, { budget: 350, prizes: { socks: 1 } })).toEqual({ budget: 6250, prizes: { socks: 4 } });
    expect(grantBatch(spring, { budget: 100, prizes: { socks: 1 } }, { budget: 350, prizes: { socks: 1 } })).toEqual({ budget: 100, prizes: { socks: 1 } });
    expect(grantBatch(spring, EMPTY_STOCK, { budget: 350, prizes: { socks: 1 } })).toEqual({ budget: 0, prizes: {} });
  });
});

describe("decideDraw", () => {
  it("answers a repeated request with its first result, even once the campaign is closed", () => {
    const first = { outcome: "lost", drawId: "spring:u:1", drawNo: 1, replay: false } as const;
    expect(decideDraw(view({ prior: first, adminStatus: "paused", userDraws: 1 }))).toEqual({ kind: "answer", result: { ...first, replay: true } });
  });

  it("is closed before the start, while paused and from the end on", () => {
    expect(decideDraw(view({ now: Date.parse("2025-12-31T23:59:59Z") }))).toEqual({ kind: "answer", result: { outcome: "closed", status: "scheduled" } });
    expect(decideDraw(view({ adminStatus: "paused" }))).toEqual({ kind: "answer", result: { outcome: "closed", status: "paused" } });
    expect(decideDraw(view({ adminStatus: "ended" }))).toEqual({ kind: "answer", result: { outcome: "closed", status: "ended" } });
    expect(campaignStatus(spring, "paused", Date.parse(spring.endsAt))).toBe("ended");
  });

  it("holds the per-user limit", () => {
    expect(decideDraw(view({ userDraws: 1 }))).toEqual({ kind: "answer", result: { outcome: "limit", draws: 1 } });
  });

  it("refills once, then draws among what the shard has, and is exhausted when it has nothing", () => {
    const empty = { budget: 0, prizes: { "cash-5": 0, "cash-1": 0, "coupon-10": 0, socks: 0 } };
    expect(decideDraw(view({ stock: empty })).kind).toBe("refill");
    expect(decideDraw(view({ stock: empty, refilled: true }))).toEqual({ kind: "answer", result: { outcome: "exhausted" } });
    expect(decideDraw(view({ stock: { ...empty, prizes: { ...empty.prizes, socks: 1 } }, refilled: true, random: 0 }))).toMatchObject({
      kind: "draw",
      prize: { id: "socks" },
    });
    expect(totalsOf(spring).prizes.socks).toBe(50);
  });
});
