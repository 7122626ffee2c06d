import { describe, expect, it } from "vitest";
import { validateCampaign } from "../../../src/campaign/schema.js";
import { campaign } from "./fixtures.js";

const prizes = campaign().prizes;

describe("validateCampaign", () => {
  it("accepts the example campaign as it is", () => {
    expect(validateCampaign(campaign())).toEqual({ ok: true, campaign: campaign() });
  });

  it.each([
    ["a float budget", { budget: 10.5 }, "budget"],
    ["a float amount", { prizes: [{ ...prizes[0], amount: 4.99 }] }, "prizes[0].amount"],
    ["a lower-case currency", { currency: "cny" }, "currency"],
    ["an end before the start", { endsAt: "2025-01-01T00:00:00Z" }, "endsAt"],
    ["an end equal to the start", { endsAt: "2026-01-01T00:00:00Z" }, "endsAt"],
    ["a date that is not ISO 8601", { startsAt: "tomorrow" }, "startsAt"],
    ["0 shards", { shards: 0 }, "shards"],
    ["65 shards", { shards: 65 }, "shards"],
    ["a cash prize of 0", { prizes: [{ ...prizes[0], amount: 0 }] }, "prizes[0].amount"],
    ["a duplicate prize id", { prizes: [prizes[0], { ...prizes[1], id: "cash-5" }] }, "prizes[1].id"],
    ["a prize of count 0", { prizes: [{ ...prizes[2], count: 0 }] }, "prizes[0].count"],
    ["an unknown kind", { prizes: [{ ...prizes[2], kind: "voucher" }] }, "prizes[0].kind"],
    ["a label without Chinese", { prizes: [{ ...prizes[2], label: { en: "x" } }] }, "prizes[0].label.zh"],
    ["a colon in the id", { id: "spring:0" }, "id"],
    ["an unknown field", { colour: "red" }, ""],
  ])("refuses %s, naming the path", (_, change, path) => {
    const checked = validateCampaign({ ...campaign(), ...change });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.path).toBe(path);
  });
});
