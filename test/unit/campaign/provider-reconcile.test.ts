import { describe, expect, it } from "vitest";
import { compareWithProvider } from "../../../src/campaign/provider-reconcile.js";
import type { PayoutRecord, PayoutState } from "../../../src/campaign/types.js";
import type { PaymentStatus } from "../../../src/payments/provider.js";

function record(drawId: string, state: PayoutState, amount = 500): PayoutRecord {
  return {
    drawId,
    campaignId: "c",
    shard: 0,
    userKey: "u",
    conversationId: "u",
    language: "en",
    prizeId: "cash-5",
    amount,
    currency: "CNY",
    state,
    reservedAt: 1,
  };
}

const paid: PaymentStatus = { status: "paid", providerRef: "p" };
const rejected: PaymentStatus = { status: "rejected", reason: "invalid_account" };
const notFound: PaymentStatus = { status: "not_found" };
const pending: PaymentStatus = { status: "pending", providerRef: "p" };

describe("the ledger against the payment provider", () => {
  it("confirms what both call paid, and leaves a reservation the provider has not finished in flight", () => {
    const check = compareWithProvider([
      { record: record("a", "paid", 500), status: paid },
      { record: record("b", "paid", 100), status: paid },
      { record: record("c", "reserved"), status: notFound },
      { record: record("d", "reserved"), status: pending },
      { record: record("e", "released"), status: rejected },
    ]);
    expect(check).toEqual({ checked: 5, confirmed: { count: 2, amount: 600 }, inFlight: 2, differences: [] });
  });

  it("reports every disagreement, and a provider it could not ask", () => {
    const check = compareWithProvider([
      { record: record("settled-unpaid", "paid"), status: notFound },
      { record: record("paid-unsettled", "reserved"), status: paid },
      { record: record("rejected-kept", "reserved"), status: rejected },
      { record: record("released-paid", "released"), status: paid },
      { record: record("silent", "paid"), status: null },
    ]);
    expect(check.differences.map((d) => [d.drawId, d.problem, d.provider])).toEqual([
      ["settled-unpaid", "settled_not_paid", "not_found"],
      ["paid-unsettled", "paid_not_settled", "paid"],
      ["rejected-kept", "rejected_not_released", "rejected"],
      ["released-paid", "released_but_paid", "paid"],
      ["silent", "unknown", "unreachable"],
    ]);
    expect(check.confirmed).toEqual({ count: 0, amount: 0 });
  });
});
