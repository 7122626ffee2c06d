import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LATENCY_BOUNDS_MS, boundOf, latencyOf, sumLatency, sumPayoutLatency } from "../../../src/campaign/payout-latency.js";

describe("payout latency", () => {
  it("gives a shard's exact figures by nearest rank", () => {
    const figures = latencyOf([4000, 100, 300, 200]);
    expect(figures).toMatchObject({ count: 4, p50Ms: 200, p90Ms: 4000, maxMs: 4000 });
    expect(latencyOf(Array.from({ length: 10 }, (_, i) => (i + 1) * 1000))).toMatchObject({ p50Ms: 5000, p90Ms: 9000, maxMs: 10_000 });
    expect(latencyOf([])).toEqual({ count: 0, p50Ms: null, p90Ms: null, maxMs: null, buckets: [] });
  });

  it("keeps a shard's exact figures when it is the only one with payouts", () => {
    const only = latencyOf([120, 130, 5000]);
    expect(sumLatency([latencyOf([]), only, latencyOf([])])).toEqual(only);
    expect(sumPayoutLatency([]).paid.count).toBe(0);
  });

  it("sums shards: count and max exact, p50 and p90 within one bucket of the true figure", () => {
    const shard = fc.array(fc.integer({ min: 0, max: 3_600_000 }), { maxLength: 40 });
    fc.assert(
      fc.property(fc.array(shard, { minLength: 2, maxLength: 6 }), (shards): void => {
        const all = shards.flat().sort((a, b) => a - b);
        const summed = sumLatency(shards.map((durations) => latencyOf(durations)));
        expect(summed.count).toBe(all.length);
        if (all.length === 0) {
          expect(summed.p50Ms).toBeNull();
          return;
        }
        expect(summed.maxMs).toBe(all.at(-1));
        for (const [q, figure] of [
          [0.5, summed.p50Ms],
          [0.9, summed.p90Ms],
        ] as const) {
          const exact = all[Math.ceil(q * all.length) - 1] ?? 0;
          const bound = boundOf(exact);
          const lower = LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.indexOf(bound) - 1] ?? 0;
          expect(figure).toBeGreaterThanOrEqual(lower);
          expect(figure).toBeLessThanOrEqual(Math.min(bound, all.at(-1) ?? 0));
        }
      }),
    );
  });
});
