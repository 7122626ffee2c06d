import { describe, expect, it } from "vitest";
import { SampleBuffer, median, percentile, ratio, summarize } from "../../../bench/stats.js";

describe("percentile", () => {
  it("takes the nearest rank", () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 0.5)).toBe(5);
    expect(percentile(sorted, 0.9)).toBe(9);
    expect(percentile(sorted, 0.99)).toBe(10);
    expect(percentile(sorted, 1)).toBe(10);
    expect(percentile(sorted, 0)).toBe(1);
  });

  it("p99 of 1000 samples is the 990th", () => {
    const sorted = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.99)).toBe(990);
    expect(percentile(sorted, 0.5)).toBe(500);
  });

  it("is NaN without samples and refuses a p outside [0, 1]", () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe("summarize", () => {
  it("sorts a copy and reports count, p50, p99, mean, max", () => {
    const samples = [5, 1, 4, 2, 3];
    expect(summarize(samples)).toEqual({ count: 5, p50: 3, p99: 5, mean: 3, max: 5 });
    expect(samples).toEqual([5, 1, 4, 2, 3]);
  });

  it("sorts numerically, not as strings", () => {
    expect(summarize([10, 9, 100]).p50).toBe(10);
  });

  it("handles no samples", () => {
    const summary = summarize([]);
    expect(summary.count).toBe(0);
    expect(summary.p50).toBeNaN();
    expect(summary.mean).toBeNaN();
  });
});

describe("ratio and median", () => {
  it("divides, or gives NaN when a side is missing", () => {
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(undefined, 4)).toBeNaN();
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(Number.NaN, 1)).toBeNaN();
  });

  it("median of repeats: the middle one, or the mean of the middle two", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe("SampleBuffer", () => {
  it("grows past its first capacity and keeps every value", () => {
    const buffer = new SampleBuffer();
    for (let i = 0; i < 10_000; i++) buffer.push(i);
    expect(buffer.length).toBe(10_000);
    expect(buffer.values()[9_999]).toBe(9_999);
    expect(summarize(buffer.values()).max).toBe(9_999);
  });
});
