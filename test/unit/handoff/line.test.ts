import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ETA_WINDOW_MS, compareLinePlaces, etaSeconds, secondsBetween } from "../../../src/handoff/line.js";

describe("the waiting line", () => {
  it("serves the longest wait first; equal waits by arrival here", () => {
    const early = { waitStart: 1_000, arrival: 5 };
    const transferred = { waitStart: 500, arrival: 9 };
    const twin = { waitStart: 1_000, arrival: 6 };
    const line = [twin, early, transferred].sort(compareLinePlaces);
    expect(line).toEqual([transferred, early, twin]);
  });

  it("is a total order: sorting any arrivals gives one line, whatever order they came in", () => {
    const places = fc.uniqueArray(fc.record({ waitStart: fc.integer({ min: 0, max: 100 }), arrival: fc.integer() }), {
      selector: (place) => place.arrival,
      maxLength: 30,
    });
    fc.assert(
      fc.property(places, (unique) => {
        const once = [...unique].sort(compareLinePlaces);
        const again = [...unique].reverse().sort(compareLinePlaces);
        expect(again).toEqual(once);
        expect(once.every((place, i) => i === 0 || compareLinePlaces(once[i - 1] ?? place, place) < 0)).toBe(true);
      }),
    );
  });
});

describe("the wait guess", () => {
  const now = 10_000_000;

  it("is the recent claims' spacing times the place in line", () => {
    expect(etaSeconds(3, [now - 120_000, now - 60_000], now)).toBe(180);
    expect(etaSeconds(1, [now - 30_000, now - 20_000, now - 10_000], now)).toBe(10);
  });

  it("slows down when claims stop", () => {
    const lively = etaSeconds(2, [now - 20_000, now - 10_000], now);
    const stalled = etaSeconds(2, [now - 20_000, now - 10_000], now + 600_000);
    expect(stalled).toBeGreaterThan(lively ?? 0);
  });

  it("guesses nothing from fewer than two claims in the last hour", () => {
    expect(etaSeconds(1, [], now)).toBeNull();
    expect(etaSeconds(1, [now - 1_000], now)).toBeNull();
    expect(etaSeconds(1, [now - ETA_WINDOW_MS - 2, now - ETA_WINDOW_MS - 1], now)).toBeNull();
  });

  it("never guesses less than a second", () => {
    expect(etaSeconds(1, [now, now], now)).toBe(1);
  });

  it("counts whole seconds, never negative", () => {
    expect(secondsBetween(1_000, 3_999)).toBe(2);
    expect(secondsBetween(5_000, 1_000)).toBe(0);
  });
});
