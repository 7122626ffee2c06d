import { describe, expect, it } from "vitest";
import { IntervalBatcher } from "../../../src/metrics/interval-batcher.js";

/** A batcher of numbers on a hand-driven clock whose timers fire when the test says so. */
function harness(options: { failing?: boolean; maxSize?: number } = {}) {
  let now = 0;
  const sent: number[][] = [];
  const dropped: number[][] = [];
  const timers: { ms: number; fire: () => void }[] = [];
  const batcher = new IntervalBatcher<number[]>({
    create: () => [],
    size: (batch) => batch.length,
    send: async (batch) => {
      if (options.failing) throw new Error("down");
      sent.push(batch);
    },
    onDropped: (batch) => dropped.push(batch),
    intervalMs: 1000,
    maxSize: options.maxSize ?? 100,
    now: () => now,
    wait: (ms) => new Promise<void>((resolve) => timers.push({ ms, fire: resolve })),
  });
  return {
    batcher,
    sent,
    dropped,
    timers,
    advance: (ms: number) => (now += ms),
    fire: async () => {
      for (const timer of timers.splice(0)) timer.fire();
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

describe("IntervalBatcher", () => {
  it("hands the send's promise only to the add that scheduled it, and sends at most once per interval", async () => {
    const h = harness();
    const first = h.batcher.add((batch) => batch.push(1));
    await expect(h.batcher.add((batch) => batch.push(2))).resolves.toBeUndefined();
    expect(h.timers.map((timer) => timer.ms)).toEqual([0]);
    await h.fire();
    await first;
    expect(h.sent).toEqual([[1, 2]]);
    h.advance(300);
    void h.batcher.add((batch) => batch.push(3));
    expect(h.timers.map((timer) => timer.ms)).toEqual([700]);
  });

  it("sends at once when the batch reaches maxSize", async () => {
    const h = harness({ maxSize: 2 });
    void h.batcher.add((batch) => batch.push(1));
    await h.batcher.add((batch) => batch.push(2));
    expect(h.sent).toEqual([[1, 2]]);
  });

  it("drops a batch the receiver refuses, tells onDropped, and never rejects", async () => {
    const h = harness({ failing: true });
    const added = h.batcher.add((batch) => batch.push(1));
    await h.fire();
    await expect(added).resolves.toBeUndefined();
    expect(h.dropped).toEqual([[1]]);
  });
});
