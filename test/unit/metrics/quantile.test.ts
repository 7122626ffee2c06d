import { describe, expect, it } from "vitest";
import { quantile } from "../../../src/metrics/quantile.js";

describe("quantile", () => {
  const bounds = [0.1, 0.5, 1];

  it("interpolates inside the bucket that holds the rank, like histogram_quantile", () => {
    expect(quantile(bounds, [8, 2, 0, 0], 0.5)).toBeCloseTo(0.0625);
    expect(quantile(bounds, [0, 10, 0, 0], 0.5)).toBeCloseTo(0.3);
    expect(quantile(bounds, [50, 49, 1, 0], 0.99)).toBeCloseTo(0.5);
  });

  it("reports the highest finite bound for ranks in +Inf, null for an empty histogram", () => {
    expect(quantile(bounds, [0, 0, 0, 5], 0.99)).toBe(1);
    expect(quantile(bounds, [0, 0, 0, 0], 0.5)).toBeNull();
  });
});
