import { describe, expect, it } from "vitest";
import { parseChaosArgs } from "../../../chaos/args.js";
import { backoffMs } from "../../../chaos/outbox.js";
import { Rng } from "../../../chaos/random.js";
import { lineChart } from "../../../chaos/svg.js";
import { socketBreaks } from "../../../chaos/user-socket.js";

describe("socketBreaks: what a client's frames miss or repeat against history", () => {
  it("is empty when every message above `since` came once, in order", () => {
    expect(socketBreaks([3, 5, 7], [1, 3, 5, 7], 1)).toEqual([]);
  });

  it("names a repeat, a message out of order and the messages missed", () => {
    expect(socketBreaks([1, 3, 3], [1, 3], 0)).toEqual(["repeat 3"]);
    expect(socketBreaks([1, 5, 3], [1, 3, 5], 0)).toEqual(["out of order 3 after 5"]);
    expect(socketBreaks([1, 3], [1, 3, 5, 7], 0)).toEqual(["missed 2 (5, 7)"]);
  });

  it("counts a replay at or below `since` as out of order", () => {
    expect(socketBreaks([4], [2, 4], 4)).toEqual(["out of order 4 after 4"]);
  });
});

describe("backoffMs: jittered exponential backoff between retries of one turn", () => {
  it("doubles from 100 ms up to 2 s, within ±50 %", () => {
    expect(backoffMs(0, () => 0.5)).toBe(100);
    expect(backoffMs(3, () => 0.5)).toBe(800);
    expect(backoffMs(10, () => 0.5)).toBe(2000);
    expect(backoffMs(0, () => 0)).toBe(50);
    expect(backoffMs(10, () => 0.999)).toBeLessThanOrEqual(3000);
  });
});

describe("Rng: a seed makes the same faults again", () => {
  it("repeats its sequence for one seed and differs for another", () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const sequence = Array.from({ length: 5 }, () => a.int(1000));
    expect(Array.from({ length: 5 }, () => b.int(1000))).toEqual(sequence);
    expect(Array.from({ length: 5 }, () => new Rng(8).int(1000))).not.toEqual(sequence);
  });

  it("picks items that may themselves be undefined", () => {
    expect(new Rng(1).pick([undefined])).toBeUndefined();
    expect(() => new Rng(1).pick([])).toThrow(RangeError);
  });
});

describe("parseChaosArgs", () => {
  it("writes the doc only for a complete run unless asked", () => {
    expect(parseChaosArgs([]).writeDoc).toBe(true);
    expect(parseChaosArgs(["--smoke"]).writeDoc).toBe(false);
    expect(parseChaosArgs(["--only", "crash"]).writeDoc).toBe(false);
    expect(parseChaosArgs(["--smoke", "--doc"]).writeDoc).toBe(true);
    expect(parseChaosArgs(["--only", "crash, races", "--seed", "42"])).toMatchObject({ only: ["crash", "races"], seed: 42 });
  });

  it("refuses a seed or soak length that is not a number", () => {
    expect(() => parseChaosArgs(["--seed", "x"])).toThrow(/--seed/);
    expect(() => parseChaosArgs(["--soak-minutes", "-1"])).toThrow(/--soak-minutes/);
  });

  it("leaves parts of the soak's mix out by name, refuses an unknown one, and keeps such a diagnosis out of the doc", () => {
    expect(parseChaosArgs(["--soak-minutes", "20", "--soak-without", "draws, voice"])).toMatchObject({ soakWithout: ["draws", "voice"], writeDoc: false });
    expect(parseChaosArgs(["--soak-minutes", "20"])).toMatchObject({ soakWithout: [], writeDoc: true });
    expect(() => parseChaosArgs(["--soak-without", "payments"])).toThrow(/--soak-without knows streams, voice, draws; got payments/);
  });
});

describe("lineChart: the soak's picture", () => {
  it("draws one polyline per series, skipping minutes without a value, and escapes the title", () => {
    const svg = lineChart(
      "p99 & RSS <soak>",
      { name: "p99", unit: "ms", color: "#c00", values: [10, Number.NaN, 30] },
      { name: "RSS", unit: "MiB", color: "#06c", values: [100, 110, 120] },
    );
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("p99 &amp; RSS &lt;soak&gt;");
    const polylines = [...svg.matchAll(/points="([^"]*)"/g)].map((match) => (match[1] ?? "").split(" ").length);
    expect(polylines).toEqual([2, 3]);
  });

  it("scales every right-hand series on one axis, so the JS heap reads against the RSS", () => {
    const svg = lineChart(
      "soak",
      { name: "p99", unit: "ms", color: "#c00", values: [10, 20] },
      { name: "RSS", unit: "MiB", color: "#06c", values: [200, 200] },
      { name: "JS heap", unit: "MiB", color: "#090", values: [100, 100] },
    );
    const heights = [...svg.matchAll(/points="[\d.]+,([\d.]+)/g)].map((match) => Number(match[1]));
    const baseline = 170; // the chart's height less its bottom margin
    const [, rss = 0, heap = 0] = heights.map((y) => baseline - y);
    expect(heap / rss).toBeCloseTo(0.5, 2);
    expect(svg).toContain("JS heap (MiB)");
  });
});
