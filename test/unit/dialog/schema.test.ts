import { describe, expect, it } from "vitest";
import { validateBotDefinition } from "../../../src/dialog/index.js";
import { loadBot } from "./harness.js";

const shop = loadBot("shop").definition;
/** A deep copy of the shop bot to break in one place. */
const broken = (change: (def: Record<string, unknown> & typeof shop) => void): unknown => {
  const copy = structuredClone(shop) as Record<string, unknown> & typeof shop;
  change(copy);
  return copy;
};

describe("validateBotDefinition", () => {
  it("accepts the example bot", () => {
    expect(validateBotDefinition(shop).ok).toBe(true);
  });

  it.each([
    ["a slot that is not a string", (d: typeof shop) => Object.assign(d.flows.check_stock!.steps[1]!, { slot: 42 }), "flows.check_stock.steps[1].slot"],
    [
      "an ask for an unknown slot",
      (d: typeof shop) => Object.assign(d.flows.check_stock!.steps[1]!, { slot: "heel_height" }),
      "flows.check_stock.steps[1].slot",
    ],
    ["an unknown step type", (d: typeof shop) => d.flows.greet!.steps.push({ type: "dance" } as never), "flows.greet.steps[1].type"],
    [
      "a branch to a missing step id",
      (d: typeof shop) => Object.assign(d.flows.lottery!.steps[0]!, { cases: [{ when: [{ slot: "lottery_prize", op: "exists" }], goto: "nowhere" }] }),
      "flows.lottery.steps[0].cases[0].goto",
    ],
    ["an intent without a flow", (d: typeof shop) => Object.assign(d.intents, { weather: { examples: ["is it raining"] } }), "intents.weather.examples"],
    ["an invalid regex", (d: typeof shop) => Object.assign(d.entities.order_id!, { pattern: "([A-Z" }), "entities.order_id.pattern"],
    ["a number entity with min > max", (d: typeof shop) => Object.assign(d.entities.size!, { min: 60 }), "entities.size.max"],
    [
      "an unknown built-in action",
      (d: typeof shop) => Object.assign(d.flows.check_stock!.steps[3]!, { action: "inventory.nope" }),
      "flows.check_stock.steps[3].action",
    ],
    ["a bad carry-over duration", (d: typeof shop) => Object.assign(d.slots.product!, { carryOver: "a month" }), "slots.product.carryOver"],
    ["a missing fallback", (d: Record<string, unknown>) => delete d.fallback, "fallback"],
    ["an unknown top-level key", (d: Record<string, unknown>) => Object.assign(d, { flow: {} }), ""],
    [
      "a webhook without a valid url",
      (d: typeof shop) => Object.assign(d.actions, { "crm.save": { kind: "webhook", url: "ftp://x" } }),
      'actions["crm.save"].url',
    ],
  ])("rejects %s with the path of the first error", (_name, change, path) => {
    const result = validateBotDefinition(broken(change as (d: typeof shop) => void));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.path).toBe(path);
      expect(result.message.length).toBeGreaterThan(0);
    }
  });

  it("rejects non-objects", () => {
    for (const value of [null, 42, "bot", []]) expect(validateBotDefinition(value)).toMatchObject({ ok: false, path: "" });
  });
});
