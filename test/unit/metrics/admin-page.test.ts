import { describe, expect, it } from "vitest";

/** The admin page's modules, as the browser loads them (public/admin/chart-scale.js). */
interface ChartScale {
  niceTicks(max: number, count?: number): number[];
  formatCount(value: number): string;
  formatPercent(ratio: number | null | undefined): string;
  formatMs(ms: number | null | undefined): string;
  formatAge(seconds: number): string;
  labelIndexes(n: number, wanted: number): number[];
}

const scale = (await import(new URL("../../../public/admin/chart-scale.js", import.meta.url).href)) as ChartScale;

describe("admin page: chart scales", () => {
  it("picks round ticks that cover the data", () => {
    expect(scale.niceTicks(87)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(scale.niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(scale.niceTicks(0.27)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(scale.niceTicks(0)).toEqual([0, 1]);
  });

  it("formats counts, ratios, durations and ages for people", () => {
    expect([scale.formatCount(12), scale.formatCount(1234), scale.formatCount(2_500_000)]).toEqual(["12", "1.2k", "2.5M"]);
    expect([scale.formatPercent(0.125), scale.formatPercent(null)]).toEqual(["12.5%", "–"]);
    expect([scale.formatMs(8.25), scale.formatMs(1500), scale.formatMs(null)]).toEqual(["8.3 ms", "1.5 s", "–"]);
    expect([scale.formatAge(42), scale.formatAge(125), scale.formatAge(7300)]).toEqual(["42 s", "2 min 5 s", "2 h 1 min"]);
  });

  it("labels about as many buckets as asked, always the newest", () => {
    expect(scale.labelIndexes(60, 6)).toEqual([9, 19, 29, 39, 49, 59]);
    expect(scale.labelIndexes(3, 6)).toEqual([0, 1, 2]);
  });
});
