import { describe, expect, it } from "vitest";
import type { Series } from "../../../src/metrics/series.js";
import { MetricSet } from "../../../src/metrics/series.js";

describe("MetricSet", () => {
  it("adds counters per label combination, whatever order the labels come in", () => {
    const set = new MetricSet();
    set.count("parley_turns_total", { bot: "shop", version: "1", cohort: "stable" });
    set.count("parley_turns_total", { cohort: "stable", version: "1", bot: "shop" }, 2);
    set.count("parley_turns_total", { bot: "shop", version: "2", cohort: "canary" });
    expect(set.size).toBe(2);
    expect(set.total("parley_turns_total")).toBe(4);
    expect(set.total("parley_turns_total", { cohort: "stable" })).toBe(3);
  });

  it("puts observations in the first bucket whose bound holds them, the rest in +Inf", () => {
    const set = new MetricSet();
    for (const seconds of [0.001, 0.005, 0.2, 30]) set.observe("parley_http_request_duration_seconds", { route: "/x", method: "GET" }, seconds);
    const [series] = set.series();
    expect(series).toMatchObject({ kind: "histogram", sum: 30.206 });
    expect(series?.kind === "histogram" ? series.counts : []).toEqual([2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  });

  it("merges in any order to the same counts (isolates → shards → /metrics)", () => {
    const parts = [0, 1, 2].map((i) => {
      const set = new MetricSet();
      set.count("parley_intents_total", { bot: "shop", version: "1", intent: `i${i % 2}` }, i + 1);
      set.observe("parley_http_request_duration_seconds", { route: "/x", method: "GET" }, 0.125 * (i + 1)); // exact in binary: sums agree in any order
      return set;
    });
    const forward = parts.reduce((into, part) => into.merge(part), new MetricSet());
    const backward = [...parts].reverse().reduce((into, part) => into.merge(part), new MetricSet());
    const sorted = (set: MetricSet) => JSON.stringify(set.series().sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels))));
    expect(sorted(forward)).toBe(sorted(backward));
    expect(forward.total("parley_intents_total", { intent: "i0" })).toBe(4);
  });

  it("skips stored series it does not know or whose shape changed (another release wrote them)", () => {
    const stored = [
      { kind: "counter", name: "parley_gone_total", labels: {}, value: 1 },
      { kind: "histogram", name: "parley_http_request_duration_seconds", labels: { route: "/x", method: "GET" }, counts: [1, 2], sum: 1 },
      { kind: "counter", name: "parley_snapshots_written_total", labels: {}, value: 3 },
    ] as unknown as Series[];
    const set = MetricSet.from(stored);
    expect(set.size).toBe(1);
    expect(set.total("parley_snapshots_written_total")).toBe(3);
  });

  it("cuts label values at 64 characters: a label groups, it does not store text", () => {
    const set = new MetricSet();
    set.count("parley_intents_total", { bot: "shop", version: "1", intent: "x".repeat(500) });
    expect(set.series()[0]?.labels["intent"]).toHaveLength(64);
  });
});
