import { describe, expect, it } from "vitest";
import { Timeline, formatRow } from "../../../bench/timeline.js";

const ORIGIN = 10_000;

describe("Timeline", () => {
  it("buckets turns by the second they started in, with the latencies of the answered ones", () => {
    const timeline = new Timeline(ORIGIN);
    timeline.add({ startedAt: ORIGIN + 100, ms: 30, outcome: { ok: true } });
    timeline.add({ startedAt: ORIGIN + 900, ms: 10, outcome: { ok: true } });
    timeline.add({ startedAt: ORIGIN + 999, ms: 1_500, outcome: { ok: false, kind: "http 503" } });
    timeline.add({ startedAt: ORIGIN + 2_000, ms: 20, outcome: { ok: true } });
    timeline.add({ startedAt: ORIGIN + 2_500, ms: 5, outcome: { ok: false, kind: "http 503" } });
    timeline.add({ startedAt: ORIGIN + 2_600, ms: 5, outcome: { ok: false, kind: "ECONNRESET" } });
    const [first, empty, third] = timeline.rows();
    expect(first).toEqual({ second: 0, ok: 2, p50Ms: 10, p99Ms: 30, maxMs: 30, failures: { "http 503": 1 } });
    expect(empty).toMatchObject({ second: 1, ok: 0, failures: {} });
    expect(empty?.p50Ms).toBeNaN();
    expect(third).toMatchObject({ second: 2, ok: 1, maxMs: 20, failures: { "http 503": 1, ECONNRESET: 1 } });
  });

  it("keeps one open-files sample per second, the last one taken", () => {
    const timeline = new Timeline(ORIGIN);
    timeline.openFiles(ORIGIN + 1_010, 400);
    timeline.openFiles(ORIGIN + 1_990, 420);
    timeline.openFiles(ORIGIN + 3_000, 6_300);
    expect(timeline.rows().map((row) => row.openFiles)).toEqual([undefined, 420, undefined, 6_300]);
  });

  it("prints a second as one line: answers, percentiles, open files and failures", () => {
    const line = formatRow({ second: 17, ok: 0, p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN, failures: { "http 503": 46 }, openFiles: 2_146 });
    expect(line).toMatch(/^ 17s +0 ok +p50 - +p99 - +max - +fds 2146 +failed: 46 http 503$/);
  });
});
