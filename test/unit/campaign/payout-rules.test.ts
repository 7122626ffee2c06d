import { describe, expect, it } from "vitest";
import { attemptPayment } from "../../../src/campaign/payout-attempt.js";
import { payoutIdempotencyKey, payoutInstanceId } from "../../../src/campaign/payout-id.js";
import { afterCallback, afterCheck, afterPayment, paymentRequestOf } from "../../../src/campaign/payout-saga-plan.js";
import type { PayoutRecord } from "../../../src/campaign/types.js";
import type { PaymentProvider } from "../../../src/payments/provider.js";
import { PaymentRequestError, TransientPaymentError } from "../../../src/payments/provider.js";

const record: PayoutRecord = {
  drawId: "spring:3f0c9a1b2c3d4e5f:1",
  campaignId: "spring",
  shard: 2,
  userKey: "3f0c9a1b2c3d4e5f",
  conversationId: "alice",
  language: "zh",
  prizeId: "cash-5",
  amount: 500,
  currency: "CNY",
  state: "reserved",
  reservedAt: 1,
};

describe("the names of a win", () => {
  it("instance id: deterministic, 'payout-' and 43 characters of [A-Za-z0-9_-], one per draw", async () => {
    const id = await payoutInstanceId(record.drawId);
    expect(id).toMatch(/^payout-[A-Za-z0-9_-]{43}$/);
    expect(await payoutInstanceId(record.drawId)).toBe(id);
    expect(await payoutInstanceId("spring:3f0c9a1b2c3d4e5f:2")).not.toBe(id);
    const longest = await payoutInstanceId(`${"c".repeat(64)}:${"u".repeat(200)}:1000`);
    expect(longest.length).toBeLessThanOrEqual(64);
  });

  it("idempotency key: readable from the draw id, hashed when the draw id has characters a key may not", async () => {
    expect(await payoutIdempotencyKey(record.drawId)).toBe("parley-payout:spring:3f0c9a1b2c3d4e5f:1");
    const odd = await payoutIdempotencyKey("spring:user with spaces:1");
    expect(odd).toMatch(/^parley-payout-sha256:[A-Za-z0-9_-]{43}$/);
    expect(await payoutIdempotencyKey("spring:user with spaces:1")).toBe(odd);
    expect((await payoutIdempotencyKey(`spring:${"u".repeat(200)}:1`)).length).toBeLessThanOrEqual(200);
  });
});

describe("the saga's decisions", () => {
  it("pays a reserved win; re-tells a paid or released one; stops without a reservation", () => {
    expect(afterCheck(record.drawId, record)).toEqual({ next: "pay", record });
    expect(afterCheck(record.drawId, { ...record, state: "paid", providerRef: "p1" })).toMatchObject({
      next: "tell",
      notice: { outcome: "paid", amount: 500 },
    });
    expect(afterCheck(record.drawId, { ...record, state: "released", reason: "invalid_account" })).toMatchObject({
      next: "tell",
      notice: { outcome: "failed", reason: "invalid_account" },
    });
    expect(afterCheck(record.drawId, null)).toMatchObject({ next: "stop" });
  });

  it("compensates only a rejection; a refusal or a payment the provider forgot stays unsettled", () => {
    expect(afterPayment({ status: "paid", providerRef: "p1" })).toEqual({ next: "settle", providerRef: "p1" });
    expect(afterPayment({ status: "rejected", reason: "limit_exceeded" })).toEqual({ next: "compensate", reason: "limit_exceeded" });
    expect(afterPayment({ status: "pending", providerRef: "p1" })).toEqual({ next: "wait" });
    expect(afterPayment({ status: "refused", reason: "401 bad_signature" })).toMatchObject({ next: "unsettled" });
    expect(afterPayment({ status: "not_found" })).toMatchObject({ next: "unsettled" });
  });

  it("after a pending payment: the status check decides, a signed callback for this key when the check cannot", () => {
    const key = "parley-payout:spring:3f0c9a1b2c3d4e5f:1";
    const callback = { eventId: "e1", idempotencyKey: key, reference: record.drawId, status: "paid", providerRef: "p9", amount: 500, currency: "CNY" };
    expect(afterCallback(null, key, { status: "rejected", reason: "invalid_account" })).toMatchObject({ next: "compensate" });
    expect(afterCallback(callback, key, { status: "rejected", reason: "invalid_account" })).toMatchObject({ next: "compensate" });
    expect(afterCallback(callback, key, { status: "pending", providerRef: "p9" })).toEqual({ next: "settle", providerRef: "p9" });
    expect(afterCallback({ ...callback, idempotencyKey: "another" }, key, { status: "pending", providerRef: "p9" })).toEqual({ next: "wait" });
    expect(afterCallback({ nonsense: true }, key, { status: "pending", providerRef: "p9" })).toEqual({ next: "wait" });
    expect(afterCallback({ ...callback, status: "rejected", reason: "limit_exceeded" }, key, { status: "refused", reason: "x" })).toEqual({
      next: "compensate",
      reason: "limit_exceeded",
    });
  });

  it("pays the winner's user id the win's amount under the key, with the draw id as reference", () => {
    expect(paymentRequestOf(record, "k1")).toEqual({ idempotencyKey: "k1", amount: 500, currency: "CNY", account: "alice", reference: record.drawId });
    expect(paymentRequestOf(record, "k1", "https://shop.example/v1/payments/callback")).toMatchObject({
      callbackUrl: "https://shop.example/v1/payments/callback",
    });
  });
});

describe("one payment attempt", () => {
  const request = paymentRequestOf(record, "k1");
  const provider = (known: Awaited<ReturnType<PaymentProvider["status"]>>, calls: string[]): PaymentProvider => ({
    status: async () => {
      calls.push("status");
      return known;
    },
    pay: async () => {
      calls.push("pay");
      return { status: "paid", providerRef: "new" };
    },
  });

  it("asks for the key's state first and pays only when the provider has never seen it", async () => {
    const calls: string[] = [];
    expect(await attemptPayment(() => provider({ status: "paid", providerRef: "old" }, calls), request)).toEqual({ status: "paid", providerRef: "old" });
    expect(calls).toEqual(["status"]);
    calls.length = 0;
    expect(await attemptPayment(() => provider({ status: "not_found" }, calls), request)).toEqual({ status: "paid", providerRef: "new" });
    expect(calls).toEqual(["status", "pay"]);
  });

  it("throws a transient error (the step retries) and answers a misconfiguration as refused", async () => {
    const failing: PaymentProvider = {
      status: async () => {
        throw new TransientPaymentError("503");
      },
      pay: async () => ({ status: "paid", providerRef: "never" }),
    };
    await expect(attemptPayment(() => failing, request)).rejects.toBeInstanceOf(TransientPaymentError);
    const unconfigured = () => {
      throw new PaymentRequestError("no payment provider is configured", 0);
    };
    expect(await attemptPayment(unconfigured, request)).toEqual({ status: "refused", reason: "no payment provider is configured" });
  });
});
