import { describe, expect, it } from "vitest";
import { derivedGauges } from "../../../src/metrics/derived.js";
import { escapeLabel, renderPrometheus } from "../../../src/metrics/prometheus.js";
import { MetricSet } from "../../../src/metrics/series.js";

describe("renderPrometheus", () => {
  const set = new MetricSet();
  set.count("parley_http_requests_total", { route: "/v1/messages", method: "POST", status: "200" }, 3);
  for (const seconds of [0.004, 0.02, 0.3]) set.observe("parley_http_request_duration_seconds", { route: "/v1/messages", method: "POST" }, seconds);
  set.count("parley_actor_turns_total", { start: "warm" }, 3);
  set.count("parley_actor_turns_total", { start: "cold" }, 1);
  set.count("parley_websockets_opened_total", {}, 5);
  set.count("parley_websockets_closed_total", {}, 2);
  const stages = [
    { stage: "asr" as const, waiting: 2, oldestSince: 1_000 },
    { stage: "tts" as const, waiting: 0, oldestSince: null },
  ];
  const text = renderPrometheus(set, derivedGauges({ totals: set, stages, now: 31_000, shards: { ok: 7, unreachable: 1 } }));
  const lines = text.split("\n");

  it("writes HELP and TYPE for every metric, and 0 for unlabelled counters never moved", () => {
    expect(lines).toContain("# TYPE parley_http_requests_total counter");
    expect(lines).toContain('parley_http_requests_total{route="/v1/messages",method="POST",status="200"} 3');
    expect(lines).toContain("parley_snapshots_written_total 0");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("renders histograms with cumulative buckets, +Inf, _sum and _count", () => {
    const series = 'route="/v1/messages",method="POST"';
    expect(lines).toContain(`parley_http_request_duration_seconds_bucket{${series},le="0.005"} 1`);
    expect(lines).toContain(`parley_http_request_duration_seconds_bucket{${series},le="0.025"} 2`);
    expect(lines).toContain(`parley_http_request_duration_seconds_bucket{${series},le="0.5"} 3`);
    expect(lines).toContain(`parley_http_request_duration_seconds_bucket{${series},le="+Inf"} 3`);
    expect(lines).toContain(`parley_http_request_duration_seconds_sum{${series}} 0.324`);
    expect(lines).toContain(`parley_http_request_duration_seconds_count{${series}} 3`);
  });

  it("derives the gauges: backlog, lag, hit ratio, open sockets, shards", () => {
    expect(lines).toContain('parley_voice_queue_backlog{stage="asr"} 2');
    expect(lines).toContain('parley_voice_queue_lag_seconds{stage="asr"} 30');
    expect(lines).toContain('parley_voice_queue_lag_seconds{stage="tts"} 0');
    expect(lines).toContain("parley_actor_hit_ratio 0.75");
    expect(lines).toContain("parley_websockets_open 3");
    expect(lines).toContain('parley_metrics_shards{state="unreachable"} 1');
  });

  it("says NaN for a ratio without turns", () => {
    const empty = renderPrometheus(new MetricSet(), derivedGauges({ totals: new MetricSet(), stages: [], now: 0, shards: { ok: 1, unreachable: 0 } }));
    expect(empty.split("\n")).toContain("parley_actor_hit_ratio NaN");
  });

  it("escapes label values as the format requires", () => {
    expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });
});
