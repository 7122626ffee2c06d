import { describe, expect, it } from "vitest";
import { derivedGauges } from "../../../src/metrics/derived.js";
import { MetricsDelta } from "../../../src/metrics/facts.js";
import { handoffQueuesSeen } from "../../../src/metrics/handoff-facts.js";
import { renderPrometheus } from "../../../src/metrics/prometheus.js";

const shop = { bot: "shop", queue: "orders" };

describe("handoff metrics", () => {
  it("counts a queue's life by bot and queue, and its claims' waits in the histogram", () => {
    const delta = new MetricsDelta();
    delta.record({ type: "handoff.enqueued", ...shop });
    delta.record({ type: "handoff.enqueued", ...shop });
    delta.record({ type: "handoff.claimed", ...shop, waitedSeconds: 4 });
    delta.record({ type: "handoff.claimed", ...shop, waitedSeconds: 95 });
    delta.record({ type: "handoff.handled", ...shop, resolution: "resolved" });
    delta.record({ type: "handoff.handled", ...shop, resolution: "transferred" });
    delta.record({ type: "handoff.abandoned", ...shop });
    delta.record({ type: "handoff.ticket", ...shop });
    delta.record({ type: "handoff.rated", ...shop, score: 5 });
    const text = renderPrometheus(delta.metrics, []).split("\n");
    expect(text).toContain('parley_handoff_enqueued_total{bot="shop",queue="orders"} 2');
    expect(text).toContain('parley_handoff_claimed_total{bot="shop",queue="orders"} 2');
    expect(text).toContain('parley_handoff_wait_seconds_bucket{bot="shop",queue="orders",le="5"} 1');
    expect(text).toContain('parley_handoff_wait_seconds_bucket{bot="shop",queue="orders",le="60"} 1');
    expect(text).toContain('parley_handoff_wait_seconds_bucket{bot="shop",queue="orders",le="120"} 2');
    expect(text).toContain('parley_handoff_wait_seconds_sum{bot="shop",queue="orders"} 99');
    expect(text).toContain('parley_handoff_handled_total{bot="shop",queue="orders",resolution="resolved"} 1');
    expect(text).toContain('parley_handoff_handled_total{bot="shop",queue="orders",resolution="transferred"} 1');
    expect(text).toContain('parley_handoff_abandoned_total{bot="shop",queue="orders"} 1');
    expect(text).toContain('parley_handoff_tickets_total{bot="shop",queue="orders"} 1');
    expect(text).toContain('parley_handoff_ratings_total{bot="shop",queue="orders",score="5"} 1');
  });

  it("a score outside 1–5 is no label value, and a negative wait counts as none", () => {
    const delta = new MetricsDelta();
    for (const score of [0, 6, 2.5, Number.NaN]) delta.record({ type: "handoff.rated", ...shop, score });
    delta.record({ type: "handoff.claimed", ...shop, waitedSeconds: -3 });
    expect([...delta.metrics.of("parley_handoff_ratings_total")]).toEqual([]);
    expect(renderPrometheus(delta.metrics, []).split("\n")).toContain('parley_handoff_wait_seconds_bucket{bot="shop",queue="orders",le="1"} 1');
  });

  it("renders each queue's waiting now and agents online as gauges, read live (no samples without queues)", () => {
    const handoff = [{ ...shop, waiting: 7, agentsOnline: 2 }];
    const delta = new MetricsDelta();
    const text = renderPrometheus(
      delta.metrics,
      derivedGauges({ totals: delta.metrics, stages: [], now: 0, shards: { ok: 1, unreachable: 0 }, handoff }),
    ).split("\n");
    expect(text).toContain('parley_handoff_waiting{bot="shop",queue="orders"} 7');
    expect(text).toContain('parley_handoff_agents_online{bot="shop",queue="orders"} 2');
    const none = renderPrometheus(delta.metrics, derivedGauges({ totals: delta.metrics, stages: [], now: 0, shards: { ok: 1, unreachable: 0 } }));
    expect(none).not.toMatch(/^parley_handoff_waiting\{/m);
  });

  it("finds the bots and queues the counters name: bots from turns, queues from handoff traffic", () => {
    const delta = new MetricsDelta();
    delta.record({ type: "turn", bot: "faq", version: "1", cohort: "stable", start: "warm", events: [] });
    delta.record({ type: "handoff.ticket", ...shop });
    delta.record({ type: "handoff.enqueued", bot: "shop", queue: "general" });
    delta.record({ type: "handoff.enqueued", ...shop });
    const seen = handoffQueuesSeen(delta.metrics);
    expect(seen.bots).toEqual(["faq", "shop"]);
    expect(seen.queues).toHaveLength(2);
    expect(seen.queues).toEqual(expect.arrayContaining([shop, { bot: "shop", queue: "general" }]));
  });
});
