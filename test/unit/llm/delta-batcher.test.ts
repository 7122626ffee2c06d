import { describe, expect, it } from "vitest";
import type { Timers } from "../../../src/llm/deadlines.js";
import { DeltaBatcher } from "../../../src/llm/delta-batcher.js";

/** Timers that fire only when the test says so. */
function manualTimers(): Timers & { fire(): void; pending(): number } {
  const due = new Map<number, () => void>();
  let next = 0;
  return {
    setTimeout: (callback) => {
      due.set(++next, callback);
      return next;
    },
    clearTimeout: (handle) => void due.delete(handle as number),
    fire: () => {
      const callbacks = [...due.values()];
      due.clear();
      for (const callback of callbacks) callback();
    },
    pending: () => due.size,
  };
}

describe("DeltaBatcher", () => {
  it("sends the first piece at once and the next ones together when the interval ends", () => {
    const sent: string[] = [];
    const timers = manualTimers();
    const batch = new DeltaBatcher((text) => sent.push(text), 40, timers);
    batch.push("We ");
    expect(sent).toEqual(["We "]);
    batch.push("ship ");
    batch.push("within ");
    expect(sent).toEqual(["We "]);
    expect(timers.pending()).toBe(1);
    timers.fire();
    expect(sent).toEqual(["We ", "ship within "]);
  });

  it("flushes what waits at the end, once, and never sends an empty delta", () => {
    const sent: string[] = [];
    const timers = manualTimers();
    const batch = new DeltaBatcher((text) => sent.push(text), 40, timers);
    batch.push("");
    expect(sent).toEqual([]);
    batch.push("two ");
    batch.push("days.");
    batch.flush();
    batch.flush();
    timers.fire();
    expect(sent).toEqual(["two ", "days."]);
    expect(sent.join("")).toBe("two days.");
  });
});
