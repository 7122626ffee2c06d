import { describe, expect, it } from "vitest";
import type { BotRegistry } from "../../../durable-objects/registry/bot-registry.js";
import { OutcomeCounters } from "../../../platform/outcome-counters.js";
import type { StoredEvent } from "../../../src/conversation/events.js";
import type { VersionOutcomes } from "../../../src/rollout/outcomes.js";
import { outcomeOfTurn } from "../../../src/rollout/outcomes.js";

const plainEvents: StoredEvent[] = [{ seq: 1, at: 0, event: { type: "message.user", v: 1, text: "hi" } }];
const fallbackEvents: StoredEvent[] = [{ seq: 1, at: 0, event: { type: "fallback.triggered", v: 1, at: 0, flow: null, reason: "low_confidence" } }];
const plain = outcomeOfTurn(plainEvents);
const fallback = outcomeOfTurn(fallbackEvents);

/** A batcher on a hand-driven clock, whose timers fire when the test says so, and a registry that records its calls. */
function harness(failing = false) {
  let now = 1_000_000;
  const calls: VersionOutcomes[][] = [];
  const timers: { ms: number; fire: () => void }[] = [];
  const registry = {
    recordOutcomes: async (batch: VersionOutcomes[]) => {
      if (failing) throw new Error("registry down");
      calls.push(batch);
    },
  } as unknown as DurableObjectStub<BotRegistry>;
  const wait = (ms: number) => new Promise<void>((resolve) => timers.push({ ms, fire: resolve }));
  const counters = new OutcomeCounters(
    () => registry,
    1000,
    () => now,
    wait,
  );
  return {
    counters,
    calls,
    timers,
    advance: (ms: number) => (now += ms),
    fireTimers: async () => {
      for (const timer of timers.splice(0)) timer.fire();
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

describe("OutcomeCounters", () => {
  it("sends the first turn at once, then at most one batch per interval, summed per version", async () => {
    const h = harness();
    await Promise.all([h.counters.record("shop", "1", plain), h.fireTimers()]);
    expect(h.calls).toEqual([[{ bot: "shop", version: "1", turns: 1, fallbacks: 0, handoffs: 0, errors: 0 }]]);
    h.advance(100);
    const pending = [h.counters.record("shop", "1", plain), h.counters.record("shop", "2", fallback), h.counters.record("shop", "2", fallback)];
    expect(h.timers.map((t) => t.ms)).toEqual([900]);
    expect(h.calls).toHaveLength(1);
    h.advance(900);
    await h.fireTimers();
    await Promise.all(pending);
    expect(h.calls[1]).toEqual([
      { bot: "shop", version: "1", turns: 1, fallbacks: 0, handoffs: 0, errors: 0 },
      { bot: "shop", version: "2", turns: 2, fallbacks: 2, handoffs: 0, errors: 0 },
    ]);
  });

  it("drops a batch the registry refuses, and never fails the turn", async () => {
    const h = harness(true);
    const recorded = h.counters.record("shop", "1", plain);
    await h.fireTimers();
    await expect(recorded).resolves.toBeUndefined();
    await h.counters.flush();
  });

  it("replaces a timer that never fired (its actor went away) instead of holding the counters forever", async () => {
    const h = harness();
    void h.counters.record("shop", "1", plain);
    h.timers.splice(0); // this timer dies
    h.advance(5000);
    const next = h.counters.record("shop", "1", plain);
    await h.fireTimers();
    await next;
    expect(h.calls).toEqual([[{ bot: "shop", version: "1", turns: 2, fallbacks: 0, handoffs: 0, errors: 0 }]]);
  });
});
